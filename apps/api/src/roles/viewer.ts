import { GraphQLError } from "graphql";
import type { Database } from "@deepcuts/db";
import { activeApiKey } from "@deepcuts/engine/keys.ts";
import type { Viewer } from "./roles.ts";

/**
 * Reads `Authorization: Bearer <key>` (or `x-api-key`) and finds the key's role; a key found in
 * the last `keyCacheMs` is not looked up again (see activeApiKey for how revocation reaches it).
 */
export async function viewerFromHeaders(db: Database, headers: Record<string, string | string[] | undefined>, keyCacheMs = 0): Promise<Viewer | null> {
  const auth = headers.authorization;
  const raw =
    typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7).trim() : typeof headers["x-api-key"] === "string" ? headers["x-api-key"] : null;
  if (!raw) return null;
  const key = raw.length <= 200 ? await activeApiKey(db, raw, keyCacheMs) : null;
  if (!key) throw new GraphQLError("this API key is unknown or revoked", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
  return { keyId: key.id, role: key.role, userId: key.userId };
}
