import type { Database } from "@deepcuts/db";
import { bytesToFloat32, float32ToBytes } from "@deepcuts/db";
import type { DenseMatrix } from "@deepcuts/models/core";

export type VectorEntity = "USER" | "ARTIST" | "TRACK";

/**
 * Stores one row of `vectors` per entity: row r of `matrix` belongs to `entityIds[r]`. The rows
 * travel as one bytea cut apart in SQL, which both PostgreSQL and PGlite take as a parameter.
 * `db` may be a transaction's `{ query }` (an import of factors stores all or nothing).
 */
export async function storeVectors(
  db: Pick<Database, "query">,
  modelVersionId: number,
  entityKind: VectorEntity,
  entityIds: ArrayLike<number>,
  matrix: DenseMatrix,
  inherited?: ArrayLike<boolean>,
): Promise<void> {
  if (entityIds.length !== matrix.rows) throw new RangeError(`need one entity id per row: ${entityIds.length} ids for ${matrix.rows} rows`);
  const width = matrix.cols * 4;
  const batch = Math.max(1, Math.floor(8_000_000 / Math.max(width, 1)));
  for (let start = 0; start < matrix.rows; start += batch) {
    const end = Math.min(matrix.rows, start + batch);
    const ids = Array.from({ length: end - start }, (_, i) => entityIds[start + i]);
    const flags = Array.from({ length: end - start }, (_, i) => Boolean(inherited?.[start + i]));
    await db.query(
      `INSERT INTO vectors (model_version_id, entity_kind, entity_id, data, inherited)
       SELECT $1, $2::text::"EntityKind", t.id, substring($3::bytea FROM ((t.i - 1) * $4::int + 1)::int FOR $4::int), t.inherited
       FROM unnest($5::int[], $6::boolean[]) WITH ORDINALITY AS t(id, inherited, i)
       ON CONFLICT (model_version_id, entity_kind, entity_id) DO UPDATE SET data = excluded.data, inherited = excluded.inherited`,
      [modelVersionId, entityKind, float32ToBytes(matrix.data.subarray(start * matrix.cols, end * matrix.cols)), width, ids, flags],
    );
  }
}

/** Loads a version's vectors of one kind: ids in id order and the matching matrix rows. */
export async function loadVectors(
  db: Database,
  modelVersionId: number,
  entityKind: VectorEntity,
): Promise<{ ids: Int32Array; matrix: DenseMatrix; inherited: Uint8Array }> {
  const rows = await db.query<{ entity_id: number; data: Uint8Array; inherited: boolean }>(
    `SELECT entity_id, data, inherited FROM vectors WHERE model_version_id = $1 AND entity_kind = $2::text::"EntityKind" ORDER BY entity_id`,
    [modelVersionId, entityKind],
  );
  const cols = rows.length ? rows[0].data.byteLength / 4 : 0;
  const data = new Float32Array(rows.length * cols);
  const inherited = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    data.set(bytesToFloat32(r.data), i * cols);
    inherited[i] = r.inherited ? 1 : 0;
  });
  return { ids: Int32Array.from(rows, (r) => r.entity_id), matrix: { rows: rows.length, cols, data }, inherited };
}
