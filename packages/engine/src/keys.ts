import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@deepcuts/db";

export type Role = "LISTENER" | "CURATOR" | "ADMIN";

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
  return r.count > 0;
}
