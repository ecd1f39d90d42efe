import type { Database } from "@deepcuts/db";
import { createApiKey, revokeApiKey, type CreatedKey, type Role } from "../keys.ts";
import { checkServiceText, invalid, missing } from "../service-error.ts";
import { TEXT_LIMITS } from "../validation/text.ts";

export interface ApiKeyRecord { id: number; name: string; prefix: string; role: Role; userId: number | null; createdAt: Date; revokedAt: Date | null }

export async function listApiKeys(db: Database, input: { first: number; afterId: number | null }) {
  const [rows, totalCount] = await Promise.all([
    db.prisma.apiKey.findMany({
      where: input.afterId ? { id: { gt: input.afterId } } : {},
      orderBy: { id: "asc" },
      take: input.first + 1,
      select: { id: true, name: true, prefix: true, role: true, userId: true, createdAt: true, revokedAt: true },
    }),
    db.prisma.apiKey.count(),
  ]);
  return { items: rows.slice(0, input.first) as ApiKeyRecord[], hasNextPage: rows.length > input.first, totalCount };
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
