import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { ApolloServer } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Database } from "@deepcuts/db";
import { httpConfig, type HttpConfig } from "./config.ts";
import { createContext, type ApiContext } from "./graphql/context.ts";
import { createSharedLoaders } from "./graphql/loaders.ts";
import { cacheHintsPlugin } from "./graphql/cache-hints.ts";
import { exposurePlugin } from "./graphql/exposure.ts";
import { apiResponseCache } from "./graphql/response-cache.ts";
import { viewerFromHeaders } from "./roles/viewer.ts";
import { CursorCodec } from "./graphql/pagination.ts";
import { apiSchema } from "./graphql/schema.ts";
import { answerClientError, apiRequestHandler } from "./http/handler.ts";
import { attachSubscriptions } from "./http/websocket.ts";
import { PREFLIGHT_HEADERS } from "./http/csrf.ts";

const PUBLIC_CODES = new Set([
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "FORBIDDEN",
  "UNAUTHENTICATED",
  "MODEL_NOT_READY",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
  "DATABASE_TIMEOUT",
]);

/** PostgreSQL's query_canceled (statement_timeout), however many wrappers the driver and Prisma add. */
export function isStatementTimeout(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    const { code, originalCode, message } = e as { code?: unknown; originalCode?: unknown; message?: unknown };
    if (code === "57014" || originalCode === "57014" || (typeof message === "string" && message.includes("canceling statement due to statement timeout")))
      return true;
    const wrapped = e as { originalError?: unknown; cause?: unknown };
    e = wrapped.originalError ?? wrapped.cause;
  }
  return false;
}

/** Known client errors pass through; anything else becomes a bare INTERNAL_SERVER_ERROR. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === "string" ? formatted.extensions.code : "";
  if (PUBLIC_CODES.has(code)) {
    const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError && typeof original.extensions?.code === "string" && PUBLIC_CODES.has(original.extensions.code)) {
    return { message: original.message, path: formatted.path, extensions: { code: original.extensions.code } };
  }
  // graphql-js stops coercing variables after 50 errors with an error of its own, without a code.
  if (formatted.message.startsWith("Too many errors processing variables")) {
    return { message: `${formatted.message} (fix the errors above and send again)`, extensions: { code: "BAD_USER_INPUT" } };
  }
  if (isStatementTimeout(original)) {
    return {
      message: "this request's database work ran over its time budget (DEEPCUTS_STATEMENT_TIMEOUT_MS); narrow it or try again",
      path: formatted.path,
      extensions: { code: "DATABASE_TIMEOUT" },
    };
  }
  if (process.env.DEEPCUTS_DEBUG) console.error(original);
  return { message: "internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

const stringOrUndefined = (value: unknown) => (typeof value === "string" ? value : undefined);

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function createApolloServer(http: HttpConfig = httpConfig()): Promise<ApolloServer<ApiContext>> {
  const responseCache = apiResponseCache(http.responseCacheMb * 1024 * 1024);
  return new ApolloServer<ApiContext>({
    schema: await apiSchema(),
    formatError,
    // Who may introspect is decided per request (exposurePlugin), by the caller's key.
    introspection: http.introspection !== "nobody",
    includeStacktraceInErrorResponses: false,
    // GET requests with a key (urql's default, a CDN's persisted-query GET) pass; see http/csrf.ts.
    csrfPrevention: { requestHeaders: [...PREFLIGHT_HEADERS] },
    // The process stops the API itself (and its job worker after it): Apollo's own SIGINT handler
    // would stop the server and re-raise the signal, killing the process before the worker had
    // marked its running jobs interrupted.
    stopOnTerminationSignals: false,
    // In production a browser opening the API gets no HTML page (Apollo's landing page embeds a
    // third-party sandbox); development keeps Apollo's local landing page.
    // Cache-Control from the @cacheControl hints, worked out per operation where it can be
    // (cache-hints.ts); answers a client may keep are kept by the server too (response-cache.ts).
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      cacheHintsPlugin(),
      ...(responseCache ? [responseCache] : []),
      exposurePlugin(http),
      ...(http.env === "production" ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
}

export interface ApiOptions {
  cursorSecret?: string | null;
  threads?: number;
  /** Exposure and limits; default: the environment's (DEEPCUTS_ENV and the variables of HttpConfig). */
  http?: Partial<HttpConfig>;
}

/**
 * Starts the GraphQL API over `db` on `port` (0 picks a free port) on 127.0.0.1: `POST /`
 * (GraphQL) and `GET /ready` (readiness). `cursorSecret` signs the connections' cursors;
 * replicas behind one address must share it (random per process when null). Requests run
 * their database work under the statement budget of `http.statementTimeoutMs`.
 */
export async function startApi(db: Database, port: number, options: ApiOptions = {}): Promise<RunningApi> {
  const http: HttpConfig = { ...httpConfig(), ...options.http };
  const server = await createApolloServer(http);
  await server.start();
  const requestDb = await db.withStatementTimeout(http.statementTimeoutMs);
  const settings = {
    cursors: new CursorCodec(options.cursorSecret ?? null),
    threads: options.threads ?? availableParallelism(),
    shared: createSharedLoaders(requestDb),
  };
  const httpServer: Server = createServer(
    apiRequestHandler(server, requestDb, http, async (req) =>
      createContext(requestDb, await viewerFromHeaders(requestDb, req.headers, http.keyCacheMs), settings),
    ),
  );
  httpServer.on("clientError", answerClientError);
  // Subscriptions (graphql-ws) share the port: the key comes in the connection_init payload.
  const subscriptions = attachSubscriptions(httpServer, {
    schema: await apiSchema(),
    http,
    viewer: (payload) =>
      viewerFromHeaders(
        requestDb,
        { authorization: stringOrUndefined(payload.authorization ?? payload.Authorization), "x-api-key": stringOrUndefined(payload.apiKey) },
        http.keyCacheMs,
      ),
    context: (viewer) => createContext(requestDb, viewer, settings),
    formatError,
  });
  // Slow or idle clients cannot hold sockets forever.
  httpServer.headersTimeout = 20_000;
  httpServer.requestTimeout = 60_000;
  httpServer.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, "127.0.0.1", () => resolve());
  });
  const { port: bound } = httpServer.address() as AddressInfo;
  let stopped: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${bound}/`,
    stop() {
      stopped ??= (async () => {
        await subscriptions.close();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
          // Requests still running after a grace period are cut off.
          setTimeout(() => httpServer.closeAllConnections(), 5000).unref();
        });
        await server.stop();
      })();
      return stopped;
    },
  };
}
