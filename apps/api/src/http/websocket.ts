import { createRequire } from "node:module";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { watchIntervalMs } from "@deepcuts/engine/jobs/watch.ts";
import type { HttpConfig } from "../config.ts";
import type { ApiContext } from "../graphql/context.ts";
import type { Viewer } from "../roles/roles.ts";
import { depthLimitRule } from "../graphql/limits.ts";

// graphql's CommonJS entry, the copy type-graphql builds the schema with (and graphql-ws loads).
const {
  GraphQLError: GraphQLErrorClass,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} = createRequire(import.meta.url)("graphql") as typeof import("graphql");

/** The error with a code for the client (the one it has, else `code`), as Apollo gives parse and validation errors over HTTP. */
const coded = (error: GraphQLError, code: string) =>
  new GraphQLErrorClass(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: error.extensions?.code ?? code },
  });

/** The WebSocket subprotocol of graphql-ws (the GraphQL over WebSocket protocol). */
export const GRAPHQL_WS_PROTOCOL = "graphql-transport-ws";

export interface SubscriptionServerOptions {
  schema: GraphQLSchema;
  http: HttpConfig;
  /** The caller named by a connection_init payload's `authorization` ("Bearer <key>") or `apiKey`; throws for an unknown key. */
  viewer: (payload: Record<string, unknown>) => Promise<Viewer | null>;
  context: (viewer: Viewer | null) => ApiContext;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

type ConnectionExtra = { viewer?: Viewer | null };

/**
 * GraphQL subscriptions over WebSocket (graphql-ws, protocol `graphql-transport-ws`) on the
 * API's own port and paths (`/` and `/graphql`). The key travels in the connection_init
 * payload (`{ "authorization": "Bearer <key>" }` or `{ "apiKey": "<key>" }`); an unknown key
 * closes the socket with 4403. Each subscription then runs under the same role rules as a
 * query. Only subscriptions are taken here: queries and mutations go over HTTP, where the body
 * limits, cache headers and persisted queries apply. Browsers' origins are held to the CORS list.
 */
export function attachSubscriptions(httpServer: Server, options: SubscriptionServerOptions): { close(): Promise<void> } {
  // A bad DEEPCUTS_SUBSCRIPTION_POLL_MS stops the start, not the first subscription.
  watchIntervalMs();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.http.maxBodyBytes });
  const origins = options.http.corsOrigins;
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(req.url ?? "/", "http://api.invalid");
    const origin = req.headers.origin;
    const refuse = (status: number, reason: string) => {
      const body = JSON.stringify({ errors: [{ message: reason, extensions: { code: status === 403 ? "FORBIDDEN" : "NOT_FOUND" } }] });
      socket.end(
        `HTTP/1.1 ${status} ${status === 403 ? "Forbidden" : "Not Found"}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    };
    if (pathname !== "/" && pathname !== "/graphql") return refuse(404, "subscriptions are at ws://<api>/ (or /graphql)");
    if (origin && origins !== "*" && !origins.includes(origin)) return refuse(403, `origin ${origin} is not in DEEPCUTS_CORS_ORIGINS`);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  };
  httpServer.on("upgrade", onUpgrade);

  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema: options.schema,
      async onConnect(ctx) {
        try {
          ctx.extra.viewer = await options.viewer(ctx.connectionParams ?? {});
          return true;
        } catch (error) {
          // An unknown or revoked key: 4403 Forbidden. Anything else (the database away) closes
          // the socket with 4400 and a reason that names no internals.
          if ((error as { extensions?: { code?: unknown } }).extensions?.code === "UNAUTHENTICATED") return false;
          if (process.env.DEEPCUTS_DEBUG) console.error(error);
          throw new Error("the API could not check the key just now; connect again");
        }
      },
      async onSubscribe(ctx, _id, payload) {
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [coded(error as GraphQLError, "GRAPHQL_PARSE_FAILED")];
        }
        const errors = validate(options.schema, document, [...specifiedRules, depthLimitRule()]);
        if (errors.length > 0) return errors.map((e) => coded(e, "GRAPHQL_VALIDATION_FAILED"));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation)
          return [
            new GraphQLErrorClass("name the operation to run (operationName): the document holds several or none", { extensions: { code: "BAD_REQUEST" } }),
          ];
        if (operation.operation !== "subscription") {
          return [
            new GraphQLErrorClass(
              `send ${operation.operation === "query" ? "queries" : "mutations"} over HTTP (POST /): this WebSocket carries subscriptions only`,
              { extensions: { code: "BAD_REQUEST" } },
            ),
          ];
        }
        return {
          schema: options.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.context(ctx.extra.viewer ?? null),
        };
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors) return;
        return { ...result, errors: result.errors.map((e) => options.formatError(e.toJSON(), e)) };
      },
      onError(_ctx, _id, _payload, errors) {
        return errors.map((e) => options.formatError(e.toJSON(), e));
      },
    },
    wss,
  );

  return {
    async close() {
      httpServer.off("upgrade", onUpgrade);
      await disposable.dispose();
      wss.close();
    },
  };
}
