import { BrowserApiError } from "./browser-graphql.ts";
import type { Operation } from "./graphql.ts";

/**
 * For client components: follows a subscription through the dashboard's /api/graphql/stream
 * route (Server-Sent Events; the dashboard's server holds the API connection and the key).
 * `onData` gets each result's data; `onError` a failure, after which nothing more comes.
 * Returns the function that stops it.
 */
export function browserSubscribe<T>(
  query: Operation<T>,
  variables: Record<string, unknown>,
  handlers: { onData: (data: T) => void; onError: (error: BrowserApiError) => void; onComplete?: () => void },
): () => void {
  const source = new EventSource(`/api/graphql/stream?${new URLSearchParams({ query: query.toString(), variables: JSON.stringify(variables) })}`);
  let closed = false;
  const close = () => {
    closed = true;
    source.close();
  };
  source.addEventListener("next", (event) => {
    const body = JSON.parse((event as MessageEvent<string>).data) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    const first = body.errors?.[0];
    if (first) {
      close();
      handlers.onError(new BrowserApiError(first.message, first.extensions?.code ?? "API_ERROR"));
    } else if (body.data) handlers.onData(body.data);
  });
  source.addEventListener("error", (event) => {
    if (closed) return;
    close();
    // Our own `error` event carries the API's errors; a bare one is the stream itself failing.
    const text = (event as MessageEvent<string>).data;
    const first = text ? (JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors?.[0] : undefined;
    handlers.onError(
      first
        ? new BrowserApiError(first.message, first.extensions?.code ?? "API_ERROR")
        : new BrowserApiError("the dashboard server is not answering", "DASHBOARD_DOWN"),
    );
  });
  source.addEventListener("complete", () => {
    close();
    handlers.onComplete?.();
  });
  return close;
}
