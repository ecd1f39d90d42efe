import type { Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { loadedDemoWorld } from "../demo-loader.ts";
import { enqueueJob, enqueueUnlessInFlight, QUEUED_OR_RUNNING } from "../jobs/enqueue.ts";
import type { JobRecord } from "../jobs/records.ts";
import { computeOutcomeMetrics, type MetricsReport } from "./metrics.ts";
import { simulateDemoListeners, type SimulateReport } from "./simulate.ts";
import type { Progress } from "../progress.ts";

export interface SimulateParams {
  /** Only these weeks (YYYY-MM-DD); default every week with playlists. */
  weeks?: string[];
  /** Then recompute the metrics (default yes). */
  metricsAfter?: boolean;
}
export interface MetricsParams {
  /** How many of the latest weeks to recompute (default 8). */
  weeks?: number;
}

/**
 * The SIMULATE job: the demo world's listeners answer the served playlists (simulate.ts), then
 * the metrics are recomputed so the product shows the outcomes. Only on a database that holds
 * a demo world: elsewhere the listeners are real and nothing is simulated.
 */
export async function simulateOutcomes(
  db: Database,
  params: SimulateParams,
  progress: Progress,
  signal: AbortSignal,
): Promise<{ simulated: SimulateReport; metrics: MetricsReport | null }> {
  const world = await loadedDemoWorld(db);
  if (!world) throw new Error("no demo world is loaded: simulated listeners answer only the demo world's playlists");
  const { simulator: _simulator, ...simulated } = await simulateDemoListeners(db, world, {
    weeks: params.weeks,
    onProgress: (m, d, t) => progress(`simulated listeners: ${m}`, d, t),
    signal,
  });
  if (signal.aborted) throw new CancelledError("outcome metrics");
  const metrics = params.metricsAfter === false ? null : await computeOutcomeMetrics(db, { onProgress: (m, d, t) => progress(`metrics: ${m}`, d, t) });
  return { simulated, metrics };
}

/** Whether this database holds a demo world (its import is recorded in `jobs`): only then are there listeners to simulate. */
export async function hasDemoWorld(db: Database): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM jobs WHERE kind = 'IMPORT' AND params->>'source' = 'demo' LIMIT 1`);
  return rows.length > 0;
}

/** Queues the SIMULATE job (npm start does after the first weekly generation). */
export function startSimulation(db: Database, params: SimulateParams = {}): Promise<JobRecord> {
  return enqueueJob(db, "SIMULATE", params);
}

/** Queues the METRICS job, or returns the one already queued or running (one at a time is enough). */
export async function startOutcomeMetrics(db: Database, params: MetricsParams = {}): Promise<JobRecord> {
  return (await enqueueUnlessInFlight(db, "METRICS", params, QUEUED_OR_RUNNING)).record;
}
