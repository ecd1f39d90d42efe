/**
 * Apollo Server's CSRF prevention, set for this API: a request runs only if a browser would
 * have had to ask permission first (a CORS preflight, which only listed origins pass), that is
 * when it has a Content-Type other than text/plain, application/x-www-form-urlencoded and
 * multipart/form-data (every POST here: application/json is required), or carries one of these
 * headers. The API authenticates only by `Authorization` or `X-Api-Key`, and both force a
 * preflight, so a GET with a key passes as it is: urql's default GET requests and a CDN's GET
 * of a persisted query need nothing more. A GET without a key (only `health` is open to it)
 * must send `apollo-require-preflight: true` (any non-empty value).
 */
export const PREFLIGHT_HEADERS = ["authorization", "x-api-key", "apollo-require-preflight", "x-apollo-operation-name"] as const;
