import { dashboardConfig } from "./config.ts";
import { ApiError } from "./api-error.ts";
import type { TypedDocumentString } from "./generated/graphql.ts";

/**
 * An operation to send: a generated document (`TracksDocument`, which carries its answer's type,
 * so `gql(TracksDocument, ...)` needs no type argument) or a query written in place.
 */
export type Operation<T> = string | TypedDocumentString<T, never>;

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Sends one GraphQL operation to the API with the curator's key. Server-side only: the key
 * comes from the HTTP-only session cookie and never reaches the browser.
 */
export async function gql<T>(query: Operation<T>, variables: Record<string, unknown>, key: string | null): Promise<T> {
  const { apiUrl, apiTimeoutMs } = dashboardConfig();
  // Curators see what they just changed: the API's response cache is skipped (docs/api.md).
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", "cache-control": "no-cache" };
  if (key) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch(apiUrl, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: query.toString(), variables }),
      cache: "no-store",
      signal: AbortSignal.timeout(apiTimeoutMs),
    });
  } catch (error) {
    const why = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${apiTimeoutMs} ms` : "connection refused or unreachable";
    throw new ApiError(`the Deepcuts API at ${apiUrl} is not answering (${why})`, "API_DOWN", apiUrl);
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`the API at ${apiUrl} answered HTTP ${response.status} without a GraphQL body`, "API_BAD_RESPONSE", apiUrl);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? "API_ERROR", apiUrl);
  if (!body.data) throw new ApiError(`the API at ${apiUrl} answered HTTP ${response.status} with no data`, "API_BAD_RESPONSE", apiUrl);
  return body.data;
}
