import type { Database } from "@deepcuts/db";
import { catalogueCounts, type CatalogueCounts } from "../catalogue-stats.ts";
import type { ModelKindName } from "../training/model-versions.ts";

export interface OverviewRecord extends CatalogueCounts {
  activeModels: { kind: ModelKindName; versionId: number; finishedAt: Date | null }[];
  activeBlendVersion: number | null;
  jobsInFlight: number;
}

/** Counts, active model versions, active blend and jobs in flight, for the dashboard's front page. */
export async function overview(db: Database): Promise<OverviewRecord> {
  const [counts, models, blend, jobs] = await Promise.all([
    catalogueCounts(db),
    db.query<{ kind: ModelKindName; versionId: number; finishedAt: Date | null }>(
      `SELECT kind::text AS kind, id AS "versionId", finished_at AS "finishedAt" FROM model_versions WHERE is_active ORDER BY kind`,
    ),
    db.query<{ version: number }>(`SELECT version FROM blend_configs WHERE is_active`),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE status IN ('QUEUED', 'RUNNING') AND parent_id IS NULL`),
  ]);
  return { ...counts, activeModels: models, activeBlendVersion: blend[0]?.version ?? null, jobsInFlight: jobs[0].n };
}
