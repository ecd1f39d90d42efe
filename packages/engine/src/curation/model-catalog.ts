import type { Database } from "@deepcuts/db";
import { activateModelVersion, type ModelKindName } from "../training/model-versions.ts";
import { indexCacheFor } from "../similarity/index-cache.ts";
import { invalid, missing } from "../service-error.ts";

export interface ModelVersionRecord {
  id: number;
  kind: ModelKindName;
  status: "TRAINING" | "READY" | "FAILED";
  isActive: boolean;
  params: unknown;
  metrics: unknown;
  history: unknown;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  vectorCount: number;
}

/** Model versions, newest first, with how many vectors each stores. */
export async function listModelVersions(db: Database, input: { kind: ModelKindName | null; first: number; afterId: number | null }) {
  const rows = await db.query<ModelVersionRecord>(
    `SELECT m.id, m.kind::text AS kind, m.status::text AS status, m.is_active AS "isActive", m.params, m.metrics, m.history, m.error,
            m.created_at AS "createdAt", m.finished_at AS "finishedAt",
            (SELECT count(*)::int FROM vectors v WHERE v.model_version_id = m.id) AS "vectorCount"
     FROM model_versions m
     WHERE ($1::text IS NULL OR m.kind::text = $1) AND ($2::int IS NULL OR m.id < $2)
     ORDER BY m.id DESC LIMIT $3`,
    [input.kind, input.afterId, input.first + 1],
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM model_versions WHERE ($1::text IS NULL OR kind::text = $1)`, [input.kind]);
  return { items: rows.slice(0, input.first), hasNextPage: rows.length > input.first, totalCount: count.n };
}

/** Activates a READY version and drops the served indexes so the next request rebuilds them. */
export async function activateVersion(db: Database, id: number): Promise<void> {
  const [row] = await db.query<{ status: string }>(`SELECT status::text AS status FROM model_versions WHERE id = $1`, [id]);
  if (!row) throw missing(`model version ${id}`);
  if (row.status !== "READY") throw invalid("id", `model version ${id} is ${row.status}; only READY versions can be activated`);
  await activateModelVersion(db, id);
  indexCacheFor(db).invalidate();
}
