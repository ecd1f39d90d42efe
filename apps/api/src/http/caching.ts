import type { ServerResponse } from "node:http";

/** Request headers every GraphQL answer depends on besides its URL or body. */
const VARY = ["Authorization", "X-Api-Key"];

/**
 * A GraphQL answer depends on who asks: the key decides what is allowed. Answers whose
 * `@cacheControl` policy is PUBLIC (the catalogue) say `Vary: Authorization, X-Api-Key`, so a
 * shared cache (a CDN in front of GET requests) keeps one copy per key and never hands one
 * key's answer to another caller. Appends to what CORS already put there (Origin).
 */
export function varyByCredentials(res: ServerResponse): void {
  const present = String(res.getHeader("vary") ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  const missing = VARY.filter((v) => !present.some((p) => p.toLowerCase() === v.toLowerCase()));
  if (missing.length > 0) res.setHeader("vary", [...present, ...missing].join(", "));
}
