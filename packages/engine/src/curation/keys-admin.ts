import type { Database } from "@deepcuts/db";
import { pageFrom, type PageRequest } from "../paging.ts";
import { createApiKey, revokeApiKey, type CreatedKey, type Role } from "../keys.ts";
import { checkServiceText, invalid, missing } from "../service-error.ts";
import { TEXT_LIMITS } from "../validation/text.ts";

export interface ApiKeyRecord {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  userId: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export async function listApiKeys(db: Database, input: PageRequest) {
  const [rows, totalCount] = await Promise.all([
    db.prisma.apiKey.findMany({
      where: input.afterId ? { id: input.backward ? { lt: input.afterId } : { gt: input.afterId } } : {},
      orderBy: { id: input.backward ? "desc" : "asc" },
      take: input.first + 1,
      select: { id: true, name: true, prefix: true, role: true, userId: true, createdAt: true, revokedAt: true },
    }),
    db.prisma.apiKey.count(),
  ]);
  return pageFrom(rows as ApiKeyRecord[], input, totalCount);
}

/** Issues a key; the secret is in the answer only. */
export async function issueApiKey(db: Database, input: { name: string; role: Role; userId: number | null }): Promise<CreatedKey> {
  const name = checkServiceText(input.name, "name", TEXT_LIMITS.label).trim();
  if (input.role === "LISTENER" && input.userId == null) throw invalid("userId", "a LISTENER key must name its listener");
  if (input.role !== "LISTENER" && input.userId != null) throw invalid("userId", `a ${input.role} key is not tied to a listener; leave userId out`);
  if (input.userId != null) {
    const user = await db.prisma.user.findUnique({ where: { id: input.userId }, select: { id: true } });
    if (!user) throw invalid("userId", `listener ${input.userId} does not exist`);
  }
  return createApiKey(db, { name, role: input.role, userId: input.userId });
}

export async function revokeKey(db: Database, id: number): Promise<boolean> {
  const row = await db.prisma.apiKey.findUnique({ where: { id }, select: { id: true } });
  if (!row) throw missing(`API key ${id}`);
  return revokeApiKey(db, id);
}

/** API keys by id (never their hashes), in the order asked (null for an unknown id). */
export async function apiKeysById(db: Database, ids: readonly number[]): Promise<(ApiKeyRecord | null)[]> {
  const rows = await db.prisma.apiKey.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, name: true, prefix: true, role: true, userId: true, createdAt: true, revokedAt: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
