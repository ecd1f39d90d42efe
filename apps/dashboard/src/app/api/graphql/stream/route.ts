import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { dashboardConfig } from "../../../../lib/config.ts";
import { sessionKey } from "../../../../lib/session.ts";

// Every subscription document the dashboard sends is far below this.
const MAX_QUERY_CHARS = 8 * 1024;

export const dynamic = "force-dynamic";

const json = (status: number, body: unknown) => Response.json(body, { status });

/**
 * The browser's way to the API's subscriptions: `GET /api/graphql/stream?query=...&variables=...`
 * answers Server-Sent Events (`next` with each result, `error`, `complete`). The dashboard's
 * server holds the graphql-ws connection to the API with the session's key, as /api/graphql
 * does for queries, so the key never reaches page scripts. The subscription ends when the
 * browser goes away.
 */
export async function GET(request: Request): Promise<Response> {
  const key = await sessionKey();
  if (!key) return json(401, { errors: [{ message: "sign in first: no dashboard session", extensions: { code: "UNAUTHENTICATED" } }] });
  const params = new URL(request.url).searchParams;
  const query = params.get("query") ?? "";
  if (!query || query.length > MAX_QUERY_CHARS)
    return json(400, {
      errors: [{ message: `query: a subscription document of 1 to ${MAX_QUERY_CHARS} characters`, extensions: { code: "BAD_USER_INPUT", field: "query" } }],
    });
  let variables: Record<string, unknown> = {};
  try {
    variables = JSON.parse(params.get("variables") ?? "{}") as Record<string, unknown>;
  } catch {
    return json(400, { errors: [{ message: "variables: not JSON", extensions: { code: "BAD_USER_INPUT", field: "variables" } }] });
  }
  const { apiUrl } = dashboardConfig();
  const client = createClient({
    url: apiUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
  });
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (event: string, data: unknown) => {
        if (open) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const end = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        void client.dispose();
        controller.close();
      };
      const unsubscribe = client.subscribe(
        { query, variables },
        {
          next: (result) => send("next", result),
          error: (error) => {
            const errors = Array.isArray(error)
              ? error
              : [
                  {
                    message: error instanceof Error ? error.message : `the Deepcuts API at ${apiUrl} closed the subscription`,
                    extensions: { code: "API_DOWN" },
                  },
                ];
            send("error", { errors });
            end();
          },
          complete: () => {
            send("complete", {});
            end();
          },
        },
      );
      stop = end;
      request.signal.addEventListener("abort", end);
      // A comment line now and then keeps proxies from closing a quiet stream.
      const keepAlive = setInterval(() => (open ? controller.enqueue(encoder.encode(": keep-alive\n\n")) : clearInterval(keepAlive)), 15_000);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" } });
}
