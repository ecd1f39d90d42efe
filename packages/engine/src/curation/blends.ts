import type { Database } from "@deepcuts/db";
import { pageFrom, type PageRequest } from "../paging.ts";
import { validateBlend, type BlendConstraints, type BlendWeights } from "../weekly/blend-config.ts";
import { checkServiceText, invalid, missing } from "../service-error.ts";
import { DEFAULT_EXPLORATION_SLOTS } from "../weekly/exploration.ts";
import { TEXT_LIMITS } from "../validation/text.ts";

export interface BlendConfigRecord {
  id: number;
  version: number;
  weights: BlendWeights;
  constraints: BlendConstraints;
  author: string;
  note: string;
  isActive: boolean;
  createdAt: Date;
}

const toRecord = (r: { weights: unknown; constraints: unknown } & Omit<BlendConfigRecord, "weights" | "constraints">): BlendConfigRecord => ({
  ...r,
  weights: r.weights as BlendWeights,
  // A version saved before exploration existed reads with the default share.
  constraints: { ...(r.constraints as BlendConstraints), explorationSlots: (r.constraints as BlendConstraints).explorationSlots ?? DEFAULT_EXPLORATION_SLOTS },
});

/** validateBlend's RangeError ("weights.text must be ...") as BAD_USER_INPUT naming that field. */
export function checkBlend(weights: BlendWeights, constraints: BlendConstraints, prefix = ""): void {
  try {
    validateBlend(weights, constraints);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const field = /^([\w.]+) /.exec(error.message)?.[1] ?? "weights";
    throw invalid(prefix + field, error.message.slice(field.length + 1));
  }
}

/** Blend configurations, newest version first. */
export async function listBlendConfigs(db: Database, input: PageRequest) {
  const after = input.afterId ? await db.prisma.blendConfig.findUnique({ where: { id: input.afterId }, select: { version: true } }) : null;
  const [rows, totalCount] = await Promise.all([
    db.prisma.blendConfig.findMany({
      where: after ? { version: input.backward ? { gt: after.version } : { lt: after.version } } : {},
      orderBy: { version: input.backward ? "asc" : "desc" },
      take: input.first + 1,
    }),
    db.prisma.blendConfig.count(),
  ]);
  const page = pageFrom(rows, input, totalCount);
  return { ...page, items: page.items.map(toRecord) };
}

/** Stores a new version (not active until activated). Concurrent creators get distinct versions. */
export async function createBlendConfig(
  db: Database,
  input: { weights: BlendWeights; constraints: BlendConstraints; author: string; note: string },
): Promise<BlendConfigRecord> {
  // Exploration slots left out (or null) take the default, as they do when an older row is read.
  input = { ...input, constraints: { ...input.constraints, explorationSlots: input.constraints.explorationSlots ?? DEFAULT_EXPLORATION_SLOTS } };
  checkBlend(input.weights, input.constraints);
  checkServiceText(input.note, "note", TEXT_LIMITS.note);
  for (let attempt = 0; ; attempt++) {
    const [{ next }] = await db.query<{ next: number }>(`SELECT coalesce(max(version), 0)::int + 1 AS next FROM blend_configs`);
    try {
      const row = await db.prisma.blendConfig.create({
        data: { version: next, weights: { ...input.weights }, constraints: { ...input.constraints }, author: input.author, note: input.note, isActive: false },
      });
      return toRecord(row);
    } catch (error) {
      if (attempt >= 5 || (error as { code?: string }).code !== "P2002") throw error;
    }
  }
}

/** Makes one configuration the active one (exactly one is active afterwards). */
export async function activateBlendConfig(db: Database, id: number): Promise<BlendConfigRecord> {
  const row = await db.prisma.$transaction(async (tx) => {
    const found = await tx.blendConfig.findUnique({ where: { id } });
    if (!found) throw missing(`blend configuration ${id}`);
    await tx.blendConfig.updateMany({ where: { isActive: true }, data: { isActive: false } });
    return tx.blendConfig.update({ where: { id }, data: { isActive: true } });
  });
  return toRecord(row);
}

/** Blend configurations by id, in the order asked (null for an unknown id). */
export async function blendConfigsById(db: Database, ids: readonly number[]): Promise<(BlendConfigRecord | null)[]> {
  const rows = await db.prisma.blendConfig.findMany({ where: { id: { in: [...ids] } } });
  const byId = new Map(rows.map((r) => [r.id, toRecord(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}
