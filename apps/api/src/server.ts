import { availableParallelism } from "node:os";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Database } from "@deepcuts/db";
import { createContext, type ApiContext, type Viewer } from "./graphql/context.ts";
import { CursorCodec } from "./graphql/pagination.ts";
import { apiSchema } from "./graphql/schema.ts";
import { findApiKey } from "@deepcuts/engine/keys.ts";

const PUBLIC_CODES = new Set(["BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED", "MODEL_NOT_READY", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND", "OPERATION_RESOLUTION_FAILURE"]);

/** Known client errors pass through; anything else becomes a bare INTERNAL_SERVER_ERROR. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? "");
  if (PUBLIC_CODES.has(code)) {
    const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError && original.extensions?.code && PUBLIC_CODES.has(String(original.extensions.code))) {
    return { message: original.message, path: formatted.path, extensions: { code: original.extensions.code } };
  }
  if (process.env.DEEPCUTS_DEBUG) console.error(original);
  return { message: "internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

/** Reads `Authorization: Bearer <key>` (or `x-api-key`) and finds the key's role. */
export async function viewerFromHeaders(db: Database, headers: Record<string, string | string[] | undefined>): Promise<Viewer | null> {
  const auth = headers.authorization;
  const raw = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7).trim() : typeof headers["x-api-key"] === "string" ? headers["x-api-key"] : null;
  if (!raw) return null;
  const key = await findApiKey(db, raw);
  if (!key) throw new GraphQLError("this API key is unknown or revoked", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  return { keyId: key.id, role: key.role, userId: key.userId };
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function createApolloServer(): Promise<ApolloServer<ApiContext>> {
  return new ApolloServer<ApiContext>({ schema: await apiSchema(), formatError, introspection: true, includeStacktraceInErrorResponses: false });
}

/**
 * Starts the GraphQL API over `db` on `port` (0 picks a free port). `cursorSecret` signs the
 * connections' cursors; replicas behind one address must share it (random per process when null).
 */
export async function startApi(db: Database, port: number, options: { cursorSecret?: string | null; threads?: number } = {}): Promise<RunningApi> {
  const server = await createApolloServer();
  const settings = { cursors: new CursorCodec(options.cursorSecret ?? null), threads: options.threads ?? availableParallelism() };
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: "127.0.0.1" },
    context: async ({ req }) => createContext(db, await viewerFromHeaders(db, req.headers), settings),
  });
  return { url, stop: () => server.stop() };
}
