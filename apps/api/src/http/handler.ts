import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { Database } from "@deepcuts/db";
import type { HttpConfig } from "../config.ts";
import type { ApiContext } from "../graphql/context.ts";
import { readJsonBody } from "./body.ts";
import { applyCors } from "./cors.ts";
import { varyByCredentials } from "./caching.ts";
import { EXPORT_PATHS, handleExport } from "./export.ts";
import { checkReadiness } from "./readiness.ts";
import { HttpError, sendError, sendJson } from "./respond.ts";

/**
 * The API's HTTP front: CORS, `GET /ready`, the downloads `GET /export/vectors|graph` (export.ts), and GraphQL on `/` with our own body reading (size
 * limit, content type, charset, JSON) in place of Apollo's standalone server, whose body parser
 * answers malformed requests with an HTML page and a stack trace. Every refusal here, and any
 * failure, is a JSON GraphQL error with a code.
 */
export function apiRequestHandler(server: ApolloServer<ApiContext>, db: Database, http: HttpConfig, context: (req: IncomingMessage) => Promise<ApiContext>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error) => {
      if (process.env.DEEPCUTS_DEBUG) console.error(error);
      sendError(res, 500, "INTERNAL_SERVER_ERROR", "internal server error");
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(req, res, http.corsOrigins)) return;
    const url = new URL(req.url ?? "/", "http://api.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname === "/ready") {
      if (method !== "GET" && method !== "HEAD") return sendError(res, 405, "METHOD_NOT_ALLOWED", "GET /ready", { allow: "GET, HEAD" });
      const readiness = await checkReadiness(db, http.readyTimeoutMs);
      return sendJson(res, readiness.ready ? 200 : 503, readiness);
    }
    if ((EXPORT_PATHS as readonly string[]).includes(url.pathname)) return handleExport(req, res, url, () => context(req));
    // "/graphql" too: clients configured for the conventional path keep working.
    if (url.pathname !== "/" && url.pathname !== "/graphql")
      return sendError(
        res,
        404,
        "NOT_FOUND",
        "nothing here: send GraphQL to POST /, readiness is GET /ready, downloads are GET /export/vectors and /export/graph",
      );
    if (method !== "GET" && method !== "POST")
      return sendError(res, 405, "METHOD_NOT_ALLOWED", "send GraphQL as POST / (or GET / for queries)", { allow: "GET, POST, OPTIONS" });
    let body: unknown;
    if (method === "POST") {
      try {
        body = await readJsonBody(req, http.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        refuse(req, res, error);
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const answer = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: url.search, body },
      context: () => context(req),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, key === "vary" ? [res.getHeader("vary"), value].filter(Boolean).join(", ") : value);
    varyByCredentials(res);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === "complete") {
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/**
 * Answers a refused body. When the body was not read to its end (too large), the connection
 * closes after the answer; what the client still sends is read and dropped first (up to
 * DRAIN_BYTES or DRAIN_MS), so an honest client sees the answer rather than a reset, and a
 * client that never stops sending is cut off.
 */
function refuse(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  const unread = !req.complete;
  sendError(res, error.status, error.code, error.message, unread ? { connection: "close" } : {});
  if (!unread) return;
  const socket = req.socket;
  let drained = 0;
  const cutoff = setTimeout(() => socket?.destroy(), DRAIN_MS);
  cutoff.unref();
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) socket?.destroy();
  });
  req.once("end", () => clearTimeout(cutoff));
  req.resume();
}

const DRAIN_BYTES = 128 * 1024 * 1024;
const DRAIN_MS = 15_000;

/**
 * Requests Node's HTTP parser refuses before any handler runs (headers too large, a garbled
 * request line): answered in the same JSON error format instead of Node's bare status line.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "the request's headers are too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "REQUEST_TIMEOUT", "the request took too long to arrive"]
        : [400, "BAD_REQUEST", "not a well-formed HTTP request"];
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
