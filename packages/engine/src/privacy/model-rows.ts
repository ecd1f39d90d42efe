import type { Database } from "@deepcuts/db";
import { userRowCount, withoutUserRows } from "@deepcuts/models/cf";

type Query = Database["query"];

/**
 * Collaborative models keep listeners twice: as USER rows of `vectors` and as rows of the user
 * factor matrix in the saved artifact, where row r belongs to the r-th listener id in ascending
 * order (the blend lines them up that way, packages/models/src/blend/model-state.ts).
 * Taking a listener out of a version therefore removes both, in step, and bumps the version's
 * `vectors_revision` so every replica rebuilds its neighbour index without them.
 */

const FACTOR_KINDS = new Set(["ALS", "LMF"]);

/** Model version ids holding a USER vector of the listener, locked for this transaction. */
export async function lockVersionsOf(query: Query, userId: number): Promise<number[]> {
  const rows = await query<{ id: number }>(
    `SELECT id FROM model_versions
     WHERE id IN (SELECT model_version_id FROM vectors WHERE entity_kind = 'USER' AND entity_id = $1)
     ORDER BY id FOR UPDATE`,
    [userId],
  );
  return rows.map((r) => r.id);
}

/**
 * Removes `userIds` from one (locked) version: their rows of the artifact and their USER
 * vectors. Refuses, naming the version, when the artifact and the vectors disagree on how many
 * listeners there are (a training run is storing that version right now: try again shortly).
 */
export async function removeListenersFromVersion(query: Query, versionId: number, userIds: number[]): Promise<{ vectors: number; artifactRows: number }> {
  const [version] = await query<{ kind: string; artifact: Uint8Array | null }>(`SELECT kind::text AS kind, artifact FROM model_versions WHERE id = $1`, [
    versionId,
  ]);
  let artifactRows = 0;
  if (version && version.artifact && FACTOR_KINDS.has(version.kind)) {
    const ids = (
      await query<{ entity_id: number }>(`SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = 'USER' ORDER BY entity_id`, [versionId])
    ).map((r) => r.entity_id);
    const artifact = new Uint8Array(version.artifact);
    const rows = userRowCount(artifact);
    if (rows !== ids.length) {
      throw new Error(
        `model version ${versionId} (${version.kind}) has ${rows} listener rows in its artifact but ${ids.length} listener vectors: a training run is still storing it; try again when it has finished`,
      );
    }
    const drop = userIds.map((id) => ids.indexOf(id)).filter((r) => r >= 0);
    if (drop.length) {
      await query(`UPDATE model_versions SET artifact = $2 WHERE id = $1`, [versionId, Buffer.from(withoutUserRows(artifact, drop))]);
      artifactRows = drop.length;
    }
  }
  const deleted = await query<{ entity_id: number }>(
    `DELETE FROM vectors WHERE model_version_id = $1 AND entity_kind = 'USER' AND entity_id = ANY($2::int[]) RETURNING entity_id`,
    [versionId, userIds],
  );
  await query(`UPDATE model_versions SET vectors_revision = vectors_revision + 1 WHERE id = $1`, [versionId]);
  return { vectors: deleted.length, artifactRows };
}

/**
 * Called by a collaborative training run after it stored its version: listeners deleted while
 * it trained (they were in `trainedUserIds`, the ascending ids its artifact rows follow) are
 * taken out of its artifact and vectors, so a training never brings a deleted listener back.
 * Returns how many were taken out.
 */
export async function forgetListenersDeletedDuringTraining(db: Database, versionId: number, trainedUserIds: ArrayLike<number>): Promise<number> {
  return db.transaction(async (query) => {
    const [version] = await query<{ kind: string; artifact: Uint8Array | null }>(
      `SELECT kind::text AS kind, artifact FROM model_versions WHERE id = $1 FOR UPDATE`,
      [versionId],
    );
    if (!version) return 0;
    const trained = Array.from(trainedUserIds);
    const existing = new Set((await query<{ id: number }>(`SELECT id FROM users WHERE id = ANY($1::int[])`, [trained])).map((r) => r.id));
    const vectorIds = (
      await query<{ entity_id: number }>(`SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = 'USER' ORDER BY entity_id`, [versionId])
    ).map((r) => r.entity_id);
    const goneWithVectors = vectorIds.filter((id) => !existing.has(id));
    let removed = 0;
    if (version.artifact && FACTOR_KINDS.has(version.kind)) {
      const artifact = new Uint8Array(version.artifact);
      const rows = userRowCount(artifact);
      let drop: number[];
      if (rows === vectorIds.length) drop = goneWithVectors.map((id) => vectorIds.indexOf(id));
      else if (rows === trained.length) {
        // A deletion removed vectors before this run wrote its artifact: its rows still follow `trained`.
        const stored = new Set(vectorIds);
        drop = trained.flatMap((id, r) => (!existing.has(id) || !stored.has(id) ? [r] : []));
      } else {
        throw new Error(
          `model version ${versionId} has ${rows} listener rows, ${vectorIds.length} listener vectors and ${trained.length} trained listeners: cannot line them up`,
        );
      }
      if (drop.length) await query(`UPDATE model_versions SET artifact = $2 WHERE id = $1`, [versionId, Buffer.from(withoutUserRows(artifact, drop))]);
      removed = drop.length;
    }
    if (goneWithVectors.length) {
      await query(`DELETE FROM vectors WHERE model_version_id = $1 AND entity_kind = 'USER' AND entity_id = ANY($2::int[])`, [versionId, goneWithVectors]);
    }
    if (removed || goneWithVectors.length) await query(`UPDATE model_versions SET vectors_revision = vectors_revision + 1 WHERE id = $1`, [versionId]);
    return Math.max(removed, goneWithVectors.length);
  });
}
