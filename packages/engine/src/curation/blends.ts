import type { Database } from "@deepcuts/db";
import {
  BlendFieldError,
  defaultBlendConstraints,
  defaultBlendWeights,
  parseBlendConstraints,
  parseBlendWeights,
  validateBlend,
  type BlendConstraints,
  type BlendWeights,
} from "@deepcuts/models/blend";
import { pageFrom, type PageRequest } from "../paging.ts";
import { checkServiceText, invalid, missing } from "../service-error.ts";
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

/**
 * A stored configuration with its JSON settings checked on the way out (a version saved before
 * exploration existed reads with the default share); a stored value out of range is an error
 * naming the version and the field.
 */
export function toBlendConfigRecord(r: { weights: unknown; constraints: unknown } & Omit<BlendConfigRecord, "weights" | "constraints">): BlendConfigRecord {
  try {
    return { ...r, weights: parseBlendWeights(r.weights), constraints: parseBlendConstraints(r.constraints) };
  } catch (error) {
    if (error instanceof BlendFieldError) throw new BlendFieldError(error.field, `${error.problem} (stored blend configuration version ${r.version})`);
    throw error;
  }
}

/**
 * The active blend configuration. When none is active (a fresh database, or only versions a
 * curator stored and never activated) the defaults are stored as the next version, active: a
 * version nobody activated is never used.
 */
export async function activeBlendConfig(db: Database): Promise<BlendConfigRecord> {
  const active = await db.prisma.blendConfig.findFirst({ where: { isActive: true } });
  if (active) return toBlendConfigRecord(active);
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db.prisma.$transaction(async (tx) => {
        // Callers that start at once on a fresh database (weekly generation's worker threads and
        // processes) all find none: under the activation lock the first stores the defaults and
        // the others find them active.
        await lockBlendActivation(tx);
        const found = await tx.blendConfig.findFirst({ where: { isActive: true } });
        if (found) return found;
        const [{ next }] = await tx.$queryRaw<{ next: number }[]>`SELECT coalesce(max(version), 0)::int + 1 AS next FROM blend_configs`;
        return tx.blendConfig.create({
          data: {
            version: next,
            weights: { ...defaultBlendWeights },
            constraints: { ...defaultBlendConstraints },
            author: "deepcuts",
            note: next === 1 ? "defaults" : "defaults (no version was active)",
            isActive: true,
          },
        });
      });
      return toBlendConfigRecord(row);
    } catch (error) {
      // A curator's createBlendConfig took the same version number at the same moment (it does
      // not take the lock): read the next number again.
      if (attempt >= 5 || (error as { code?: string }).code !== "P2002") throw error;
    }
  }
}

/** validateBlend's BlendFieldError as BAD_USER_INPUT naming that field ("weights.text", "constraints.artistCap"). */
export function checkBlend(weights: BlendWeights, constraints: BlendConstraints, prefix = ""): void {
  try {
    validateBlend(weights, constraints);
  } catch (error) {
    if (!(error instanceof BlendFieldError)) throw error;
    throw invalid(prefix + error.field, error.problem);
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
  return { ...page, items: page.items.map(toBlendConfigRecord) };
}

/** Stores a new version (not active until activated). Concurrent creators get distinct versions. */
export async function createBlendConfig(
  db: Database,
  input: { weights: BlendWeights; constraints: BlendConstraints; author: string; note: string },
): Promise<BlendConfigRecord> {
  // Exploration slots left out (or null) take the default, as they do when an older row is read.
  input = { ...input, constraints: { ...input.constraints, explorationSlots: input.constraints.explorationSlots ?? defaultBlendConstraints.explorationSlots } };
  checkBlend(input.weights, input.constraints);
  checkServiceText(input.note, "note", TEXT_LIMITS.note);
  for (let attempt = 0; ; attempt++) {
    const [{ next }] = await db.query<{ next: number }>(`SELECT coalesce(max(version), 0)::int + 1 AS next FROM blend_configs`);
    try {
      const row = await db.prisma.blendConfig.create({
        data: { version: next, weights: { ...input.weights }, constraints: { ...input.constraints }, author: input.author, note: input.note, isActive: false },
      });
      return toBlendConfigRecord(row);
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
    // Activations at once (two curators, API replicas) each deactivate only what their own
    // snapshot shows active, so without this lock every one of them stays active.
    await lockBlendActivation(tx);
    await tx.blendConfig.updateMany({ where: { isActive: true }, data: { isActive: false } });
    return tx.blendConfig.update({ where: { id }, data: { isActive: true } });
  });
  return toBlendConfigRecord(row);
}

/** Serialises activations (and the defaults' creation) until the transaction ends. */
async function lockBlendActivation(tx: { $executeRaw: Database["prisma"]["$executeRaw"] }): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('deepcuts.blend-activation'))`;
}

/**
 * Holds activations back until the caller's transaction ends (they take the lock exclusive) and
 * returns the id and version of the configuration active now, if any.
 */
export async function holdActiveBlend(query: Database["query"]): Promise<{ id: number; version: number } | undefined> {
  await query(`SELECT pg_advisory_xact_lock_shared(hashtext('deepcuts.blend-activation'))`);
  const [active] = await query<{ id: number; version: number }>(`SELECT id, version FROM blend_configs WHERE is_active LIMIT 1`);
  return active;
}

/** Blend configurations by id, in the order asked (null for an unknown id). */
export async function blendConfigsById(db: Database, ids: readonly number[]): Promise<(BlendConfigRecord | null)[]> {
  const rows = await db.prisma.blendConfig.findMany({ where: { id: { in: [...ids] } } });
  const byId = new Map(rows.map((r) => [r.id, toBlendConfigRecord(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}
