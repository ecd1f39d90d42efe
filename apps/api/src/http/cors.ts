import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * CORS for browsers calling the API directly. Only listed origins (or every origin, "*", in
 * development) get Access-Control-Allow-Origin; others get no CORS headers, so their pages
 * cannot read the answers. Returns true when it answered a preflight request.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, origins: "*" | readonly string[]): boolean {
  const origin = req.headers.origin;
  const allowed = origins === "*" ? "*" : origin && origins.includes(origin) ? origin : null;
  if (allowed) {
    res.setHeader("access-control-allow-origin", allowed);
    if (allowed !== "*") res.setHeader("vary", "Origin");
  }
  if (req.method !== "OPTIONS") return false;
  if (allowed) {
    res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
    res.setHeader("access-control-allow-headers", "content-type, authorization, x-api-key, apollo-require-preflight, x-apollo-operation-name");
    res.setHeader("access-control-max-age", "600");
  }
  res.writeHead(204);
  res.end();
  return true;
}
