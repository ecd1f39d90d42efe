import type { Database } from "@deepcuts/db";

export type ModelKindName = "POPULARITY" | "ALS" | "LMF" | "TEXT" | "AUDIO_FEATURES" | "AUDIO_CNN" | "CO_MENTION";

/**
 * Taken by every transaction that changes which version of a kind is active (training that
 * finishes, activation by a curator, an import of Spark factors): each deactivates only the
 * versions its own snapshot shows active, so two at once would both stay active.
 */
export const MODEL_ACTIVATION_LOCK = `SELECT pg_advisory_xact_lock(hashtext('deepcuts.model-activation'))`;

/** Starts a model version in TRAINING state. */
export async function beginModelVersion(db: Database, kind: ModelKindName, params: object): Promise<number> {
  const row = await db.prisma.modelVersion.create({ data: { kind, params: params, status: "TRAINING" } });
  return row.id;
}

/**
 * Marks a version READY with its artifact and metrics and makes it the active one of its
 * kind: at most one active version per kind at any moment. The artifact (tens of MB for a
 * large catalogue) is written first while the version is still TRAINING, so the transaction
 * that flips the status and the active flag stays short.
 */
export async function finishModelVersion(
  db: Database,
  id: number,
  result: { artifact?: Uint8Array<ArrayBuffer>; metrics?: object; history?: object; activate?: boolean },
): Promise<void> {
  await db.prisma.modelVersion.update({
    where: { id },
    data: { artifact: result.artifact, metrics: result.metrics, history: result.history },
  });
  await db.prisma.$transaction(
    async (tx) => {
      if (result.activate ?? true) await tx.$executeRawUnsafe(MODEL_ACTIVATION_LOCK);
      const version = await tx.modelVersion.update({ where: { id }, data: { status: "READY", finishedAt: new Date() } });
      if (result.activate ?? true) {
        await tx.modelVersion.updateMany({ where: { kind: version.kind, isActive: true }, data: { isActive: false } });
        await tx.modelVersion.update({ where: { id }, data: { isActive: true, activatedAt: new Date() } });
      }
    },
    { timeout: 30_000 },
  );
}

export async function failModelVersion(db: Database, id: number, error: Error): Promise<void> {
  await db.prisma.modelVersion.update({ where: { id }, data: { status: "FAILED", error: error.message, finishedAt: new Date() } });
}

/** Makes an existing READY version the active one of its kind. */
export async function activateModelVersion(db: Database, id: number): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(MODEL_ACTIVATION_LOCK);
    const version = await tx.modelVersion.findUnique({ where: { id } });
    if (!version) throw new Error(`model version ${id} does not exist`);
    if (version.status !== "READY") throw new Error(`model version ${id} is ${version.status}, only READY versions can be activated`);
    await tx.modelVersion.updateMany({ where: { kind: version.kind, isActive: true }, data: { isActive: false } });
    await tx.modelVersion.update({ where: { id }, data: { isActive: true, activatedAt: new Date() } });
  });
}

export async function activeModelVersion(db: Database, kind: ModelKindName) {
  return db.prisma.modelVersion.findFirst({ where: { kind, isActive: true, status: "READY" } });
}
