import type { Database } from "@deepcuts/db";
import type { VectorSet } from "@deepcuts/models/ann";
import type { ModelKindName } from "../training/model-versions.ts";
import { MODEL_KINDS, type EntityKindName, type SingleModel } from "./models.ts";

export interface ActiveVersion {
  id: number;
  kind: ModelKindName;
  /** Moves on when rows leave the version's vectors (a listener deleted): indexes key on it. */
  revision: number;
}

/** The active READY version behind a similarity model (ALS before LMF, AUDIO_CNN before features). */
export async function activeVersionFor(db: Database, model: SingleModel): Promise<ActiveVersion | null> {
  const kinds = MODEL_KINDS[model];
  const rows = await db.query<ActiveVersion>(
    `SELECT id, kind::text AS kind, vectors_revision AS revision FROM model_versions WHERE is_active AND status = 'READY' AND kind::text = ANY($1::text[])`,
    [kinds],
  );
  for (const kind of kinds) {
    const row = rows.find((r) => r.kind === kind);
    if (row) return row;
  }
  return null;
}

function toVectorSet(rows: { entity_id: number; data: Uint8Array }[]): VectorSet | null {
  if (rows.length === 0) return null;
  const dim = rows[0].data.byteLength / 4;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    if (r.data.byteLength !== dim * 4) throw new Error(`vector of entity ${r.entity_id} has ${r.data.byteLength / 4} values, expected ${dim}`);
    const view = new DataView(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    for (let j = 0; j < dim; j++) data[i * dim + j] = view.getFloat32(j * 4, true);
  });
  return { ids: Int32Array.from(rows, (r) => r.entity_id), dim, data };
}

/**
 * Every stored vector of one entity kind under a model version. A version without artist rows
 * (collaborative and audio models store tracks) gives each artist the mean of its tracks'
 * vectors, so artist similarity works under every model.
 */
export async function loadVectorSet(db: Database, versionId: number, entity: EntityKindName): Promise<{ set: VectorSet; derived: boolean } | null> {
  const rows = await db.query<{ entity_id: number; data: Uint8Array }>(
    `SELECT entity_id, data FROM vectors WHERE model_version_id = $1 AND entity_kind = $2::text::"EntityKind" ORDER BY entity_id`,
    [versionId, entity],
  );
  const direct = toVectorSet(rows);
  if (direct) return { set: direct, derived: false };
  if (entity !== "ARTIST") return null;
  const trackRows = await db.query<{ entity_id: number; artist_id: number; data: Uint8Array }>(
    `SELECT v.entity_id, t.artist_id, v.data FROM vectors v JOIN tracks t ON t.id = v.entity_id
     WHERE v.model_version_id = $1 AND v.entity_kind = 'TRACK' ORDER BY t.artist_id, v.entity_id`,
    [versionId],
  );
  const tracks = toVectorSet(trackRows);
  if (!tracks) return null;
  const artistIds: number[] = [];
  const sums: number[][] = [];
  const counts: number[] = [];
  trackRows.forEach((r, i) => {
    if (artistIds[artistIds.length - 1] !== r.artist_id) {
      artistIds.push(r.artist_id);
      sums.push(new Array<number>(tracks.dim).fill(0));
      counts.push(0);
    }
    const sum = sums[sums.length - 1];
    for (let j = 0; j < tracks.dim; j++) sum[j] += tracks.data[i * tracks.dim + j];
    counts[counts.length - 1]++;
  });
  const data = new Float32Array(artistIds.length * tracks.dim);
  sums.forEach((sum, a) => sum.forEach((v, j) => (data[a * tracks.dim + j] = v / counts[a])));
  return { set: { ids: Int32Array.from(artistIds), dim: tracks.dim, data }, derived: true };
}
