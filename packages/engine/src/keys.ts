import { createHash, randomBytes } from "node:crypto";
import type { ApiRole, Database } from "@deepcuts/db";

/** A key's role: the database's ApiRole enum; what each may do is apps/api/src/roles/. */
export type Role = ApiRole;

export interface CreatedKey {
  id: number;
  /** The secret: shown once, never stored. */
  key: string;
  prefix: string;
  role: Role;
  userId: number | null;
}

/** SHA-256 of the key; keys are random 32-byte secrets, so a plain hash is enough. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates an API key; a listener key must name its listener. */
export async function createApiKey(db: Database, input: { name: string; role: Role; userId?: number | null }): Promise<CreatedKey> {
  if (input.role === "LISTENER" && !input.userId) throw new Error("a LISTENER key must name its listener (userId)");
  if (input.role !== "LISTENER" && input.userId) throw new Error(`a ${input.role} key is not tied to a listener; leave userId out`);
  const key = `dc_${input.role.toLowerCase()}_${randomBytes(24).toString("base64url")}`;
  const prefix = key.slice(0, 14);
  const row = await db.prisma.apiKey.create({
    data: { name: input.name, role: input.role, prefix, hash: hashKey(key), userId: input.userId ?? null },
  });
  return { id: row.id, key, prefix, role: input.role, userId: row.userId };
}

/** The key's record when it exists and is not revoked. */
export async function findApiKey(db: Database, key: string) {
  const row = await db.prisma.apiKey.findUnique({ where: { hash: hashKey(key) } });
  return row && !row.revokedAt ? row : null;
}

export async function revokeApiKey(db: Database, id: number): Promise<boolean> {
  const r = await db.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  forgetCachedApiKeys();
  return r.count > 0;
}

/** What a request needs of its caller's key. */
export interface ActiveKey {
  id: number;
  role: Role;
  userId: number | null;
}

const CACHE_MAX_KEYS = 10_000;
/** Keys found recently, by database location and hash; only found, unrevoked keys are kept. */
const cachedKeys = new Map<string, { key: ActiveKey; until: number }>();
/** Moves on at every revocation, so a lookup that started before one never fills the cache after it. */
let cacheGeneration = 0;

/**
 * Empties this process's key cache. Revoking a key and deleting a listener (whose keys go with
 * them) call it, so in this process they take effect at the next request.
 */
export function forgetCachedApiKeys(): void {
  cacheGeneration++;
  cachedKeys.clear();
}

/**
 * The active key `key`, or null when it is unknown or revoked, looked up at most once per
 * `ttlMs` (0: every time). A busy API answers most requests without a database round trip for
 * the key; a revocation or listener deletion in this process empties the cache at once, one in
 * another process (the CLI's `keys revoke`, another API replica) is seen within `ttlMs`. An
 * unknown key is never cached: a caller sending random keys costs a lookup each, not memory.
 */
export async function activeApiKey(db: Database, key: string, ttlMs: number): Promise<ActiveKey | null> {
  const hash = hashKey(key);
  const slot = `${db.location}\n${hash}`;
  const now = Date.now();
  const hit = cachedKeys.get(slot);
  if (hit && hit.until > now) return hit.key;
  const generation = cacheGeneration;
  const [row] = await db.query<ActiveKey>(`SELECT id, role::text AS role, user_id AS "userId" FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`, [hash]);
  if (!row) {
    cachedKeys.delete(slot);
    return null;
  }
  if (ttlMs > 0 && generation === cacheGeneration) {
    cachedKeys.delete(slot);
    if (cachedKeys.size >= CACHE_MAX_KEYS) cachedKeys.delete(cachedKeys.keys().next().value!);
    cachedKeys.set(slot, { key: row, until: now + ttlMs });
  }
  return row;
}
