import { dashboardConfig } from "./config.ts";
import { sessionKey } from "./session.ts";

/** The API's download routes the dashboard forwards to (see apps/api/src/http/export.ts). */
export type ExportPath = "export/vectors" | "export/graph";

const text = (status: number, message: string) => new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * Forwards a download (the query string as it came) to the API with the session's key from the
 * HTTP-only cookie, so the key never reaches the browser, and streams the file back with the
 * API's content type and file name. The API decides who may export (curator and admin keys) and
 * checks the parameters; its refusal comes back as one line of text with its status, since the
 * browser shows it in place of a file. `apiTimeoutMs` bounds the wait for the answer to start;
 * the file itself streams as long as it takes, and stops when the browser goes away.
 */
export async function proxyDownload(request: Request, path: ExportPath): Promise<Response> {
  const key = await sessionKey();
  if (!key) return text(401, "sign in first: no dashboard session");
  const { apiUrl, apiTimeoutMs } = dashboardConfig();
  const target = new URL(path, apiUrl);
  target.search = new URL(request.url).search;
  const controller = new AbortController();
  const abort = () => controller.abort();
  request.signal.addEventListener("abort", abort, { once: true });
  const timer = setTimeout(abort, apiTimeoutMs);
  let upstream: Response;
  try {
    upstream = await fetch(target, { headers: { authorization: `Bearer ${key}` }, cache: "no-store", signal: controller.signal });
  } catch {
    return text(502, `the Deepcuts API at ${apiUrl} is not answering`);
  } finally {
    clearTimeout(timer);
  }
  if (!upstream.ok || !upstream.body) {
    const body = (await upstream.json().catch(() => null)) as { errors?: { message?: string }[] } | null;
    return text(upstream.status, `export refused: ${body?.errors?.[0]?.message ?? `the API answered ${upstream.status}`}`);
  }
  const headers = new Headers({ "cache-control": "no-store", "x-content-type-options": "nosniff" });
  for (const name of ["content-type", "content-disposition", "content-length"]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(upstream.body, { status: 200, headers });
}
