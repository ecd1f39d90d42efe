import type { Database } from "@deepcuts/db";
import { descendingStep, pageFrom, type PageRequest } from "../paging.ts";
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
  /** When it last became the active version of its kind (null: never). */
  activatedAt: Date | null;
  vectorCount: number;
}

const VERSION_SELECT = `SELECT m.id, m.kind::text AS kind, m.status::text AS status, m.is_active AS "isActive", m.params, m.metrics, m.history, m.error,
            m.created_at AS "createdAt", m.finished_at AS "finishedAt", m.activated_at AS "activatedAt",
            (SELECT count(*)::int FROM vectors v WHERE v.model_version_id = m.id) AS "vectorCount"
     FROM model_versions m`;

/** Model versions by id, in the order asked (null for an unknown id). */
export async function modelVersionsById(db: Database, ids: readonly number[]): Promise<(ModelVersionRecord | null)[]> {
  const rows = await db.query<ModelVersionRecord>(`${VERSION_SELECT} WHERE m.id = ANY($1::int[])`, [[...ids]]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Model versions, newest first, with how many vectors each stores. */
export async function listModelVersions(db: Database, input: PageRequest & { kind: ModelKindName | null }) {
  const { cmp, order } = descendingStep(input);
  const rows = await db.query<ModelVersionRecord>(
    `${VERSION_SELECT}
     WHERE ($1::text IS NULL OR m.kind::text = $1) AND ($2::int IS NULL OR m.id ${cmp} $2)
     ORDER BY m.id ${order} LIMIT $3`,
    [input.kind, input.afterId, input.first + 1],
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM model_versions WHERE ($1::text IS NULL OR kind::text = $1)`, [input.kind]);
  return pageFrom(rows, input, count.n);
}

/** Activates a READY version and drops the served indexes so the next request rebuilds them. */
export async function activateVersion(db: Database, id: number): Promise<void> {
  const [row] = await db.query<{ status: string }>(`SELECT status::text AS status FROM model_versions WHERE id = $1`, [id]);
  if (!row) throw missing(`model version ${id}`);
  if (row.status !== "READY") throw invalid("id", `model version ${id} is ${row.status}; only READY versions can be activated`);
  await activateModelVersion(db, id);
  indexCacheFor(db).invalidate();
}
