import type { Operation } from "./graphql.ts";

/** A GraphQL error as the browser sees it through the dashboard's /api/graphql route. */
export class BrowserApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "BrowserApiError";
  }
}

/**
 * For client components: posts an operation to the dashboard's own /api/graphql route, which
 * adds the session's key server-side (the browser never holds it).
 */
export async function browserGql<T>(query: Operation<T>, variables: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch("/api/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: query.toString(), variables }),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new BrowserApiError("the dashboard server is not answering", "DASHBOARD_DOWN");
  }
  const body = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  const first = body?.errors?.[0];
  if (first) throw new BrowserApiError(first.message, first.extensions?.code ?? "API_ERROR");
  if (!body?.data) throw new BrowserApiError(`HTTP ${response.status} without data`, "API_BAD_RESPONSE");
  return body.data;
}
