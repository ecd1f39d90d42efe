import { dashboardConfig } from "../../../lib/config.ts";
import { sessionKey } from "../../../lib/session.ts";

// 256 KiB is far above any operation the dashboard sends; larger bodies are refused here.
const MAX_BODY_BYTES = 256 * 1024;

const json = (status: number, body: unknown) => Response.json(body, { status });

/**
 * The browser's only way to the API: client components (sliders, charts, graph canvas) post
 * GraphQL here, and it forwards the operation with the key from the HTTP-only cookie, so the
 * key never reaches page scripts. Authorization stays in the API.
 */
export async function POST(request: Request): Promise<Response> {
  const key = await sessionKey();
  if (!key) return json(401, { errors: [{ message: "sign in first: no dashboard session", extensions: { code: "UNAUTHENTICATED" } }] });
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES)
    return json(413, {
      errors: [{ message: `request body is ${body.length} bytes, over the ${MAX_BODY_BYTES} limit`, extensions: { code: "BAD_USER_INPUT" } }],
    });
  const { apiUrl, apiTimeoutMs } = dashboardConfig();
  try {
    const upstream = await fetch(apiUrl, {
      method: "POST",
      // Curators see what they just changed: the API's response cache is skipped (docs/api.md).
      headers: { "content-type": "application/json", accept: "application/json", "cache-control": "no-cache", authorization: `Bearer ${key}` },
      body,
      cache: "no-store",
      signal: AbortSignal.timeout(apiTimeoutMs),
    });
    return new Response(await upstream.text(), {
      status: upstream.status,
      headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
    });
  } catch {
    return json(502, { errors: [{ message: `the Deepcuts API at ${apiUrl} is not answering`, extensions: { code: "API_DOWN" } }] });
  }
}
