import type { Database } from "@deepcuts/db";
import { descendingStep, pageFrom, type PageRequest } from "../paging.ts";
import { invalid, missing } from "../service-error.ts";
import { ownerIsGoneHere } from "../jobs/owner.ts";
import { cancelQueueJob } from "../jobs/queue.ts";
import {
  createRecord,
  forceFinish,
  readRecord,
  RECORD_SELECT,
  settleParent,
  FINISHED,
  type JobKindName,
  type JobRecord,
  type JobStatusName,
} from "../jobs/records.ts";
import { abortLiveJob, runOwnedJob, settleLiveJobs, type JobWork } from "../jobs/run.ts";
import { STALE_AFTER_SECONDS } from "../jobs/reconcile.ts";
import { workedDatabases } from "../jobs/worker.ts";

export type { JobKindName, JobRecord, JobStatusName } from "../jobs/records.ts";
export type { Progress } from "../jobs/run.ts";

/**
 * Runs `work` in this process as a recorded job (a QUEUED row, then RUNNING with this process
 * as its owner) after the current request has answered. Work that cannot travel through the job
 * queue (a closure) runs this way; everything a worker can run is queued instead (work.ts).
 */
export async function startJob(db: Database, kind: JobKindName, params: object, work: JobWork<unknown>): Promise<JobRecord> {
  const id = await createRecord(db, { kind, params });
  setImmediate(() => void runOwnedJob(db, id, work, { resumeNote: "start it again to resume" }).catch(() => {}));
  return (await readRecord(db, id))!;
}

/**
 * Resolves once the jobs this process runs have ended and the queued jobs of every database this
 * process works have been taken and finished (tests and shutdown), or after `timeoutMs`.
 */
export async function settleJobs(timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  await new Promise<void>((r) => setImmediate(r));
  for (;;) {
    await settleLiveJobs();
    let open = 0;
    for (const db of workedDatabases()) {
      const [row] = await db
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE status IN ('QUEUED', 'RUNNING') AND queue_name IS NOT NULL`)
        .catch(() => [{ n: 0 }]);
      open += row.n;
    }
    if (open === 0 || Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Cancels a job from any process: QUEUED or INTERRUPTED work ends CANCELLED at once (its pg-boss
 * job too); RUNNING work gets the cancel flag, which its owner reads within a second and stops
 * between steps, keeping what it committed (a finished model version, batches of playlists); a
 * run cancels all its shards. Waits up to `waitMs` for the job to end, so the answer usually
 * shows it CANCELLED. A RUNNING job whose owner is gone ends CANCELLED at once. Refuses, naming
 * `id`, an unknown job and a finished one.
 */
export async function cancelJob(db: Database, id: number, waitMs = 10_000): Promise<JobRecord> {
  const row = await readRecord(db, id);
  if (!row) throw invalid("id", `there is no job ${id}`);
  if (FINISHED.includes(row.status)) throw invalid("id", `job ${id} has already finished (${row.status})`);
  await db.query(
    `UPDATE jobs SET cancel_requested = true WHERE (id = $1 OR parent_id = $1) AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER')`,
    [id],
  );
  const open = await db.query<{
    id: number;
    status: JobStatusName;
    owner: string | null;
    stale: boolean;
    queue_name: string | null;
    queue_job_id: string | null;
  }>(
    `SELECT id, status::text AS status, owner, (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $2)) AS stale, queue_name, queue_job_id
     FROM jobs WHERE (id = $1 OR parent_id = $1) AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER')`,
    [id, STALE_AFTER_SECONDS],
  );
  for (const job of open) {
    if (job.owner === "shards") continue;
    const waiting = job.status === "QUEUED" || job.status === "INTERRUPTED";
    const ownerGone = job.status === "RUNNING" && (job.stale || ownerIsGoneHere(job.owner));
    if (job.status === "RUNNING" && abortLiveJob(job.id)) continue;
    if (!waiting && !ownerGone) continue; // its owner elsewhere reads the flag
    if (job.queue_name && job.queue_job_id) await cancelQueueJob(db, job.queue_name, job.queue_job_id);
    await forceFinish(
      db,
      job.id,
      "CANCELLED",
      ownerGone ? "cancelled (its owner was gone)" : job.status === "QUEUED" ? "cancelled before it started" : "cancelled while interrupted",
    );
  }
  if (row.shards > 0) await settleParent(db, id);
  const until = Date.now() + waitMs;
  for (;;) {
    const now = (await readRecord(db, id))!;
    if (FINISHED.includes(now.status) || Date.now() > until) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function getJob(db: Database, id: number): Promise<JobRecord> {
  const row = await readRecord(db, id);
  if (!row) throw missing(`job ${id}`);
  return row;
}

/** One job, or null when there is none (getJob's lookup without the NOT_FOUND). */
export function findJob(db: Database, id: number): Promise<JobRecord | null> {
  return readRecord(db, id);
}

/** Top-level jobs (a run's shards are inside it), newest first. */
export async function listJobs(db: Database, input: PageRequest & { kind: JobKindName | null; status: JobStatusName | null }) {
  const conditions = ["j.parent_id IS NULL"];
  const params: unknown[] = [];
  if (input.kind) conditions.push(`j.kind = $${params.push(input.kind)}::text::"JobKind"`);
  if (input.status) conditions.push(`j.status = $${params.push(input.status)}::text::"JobStatus"`);
  const filter = conditions.join(" AND ");
  const { cmp, order } = descendingStep(input);
  const page = input.afterId ? `${filter} AND j.id ${cmp} $${params.length + 1}` : filter;
  const [rows, [{ n }]] = await Promise.all([
    db.query<JobRecord>(`${RECORD_SELECT} WHERE ${page} ORDER BY j.id ${order} LIMIT ${input.first + 1}`, input.afterId ? [...params, input.afterId] : params),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs j WHERE ${filter}`, params),
  ]);
  return pageFrom(rows, input, n);
}

/**
 * The id of the job of kind $1 that is queued or running anywhere, if any: one training,
 * generation or analysis at a time (enqueueUnlessInFlight's check).
 */
export const JOB_IN_FLIGHT = `SELECT id FROM jobs WHERE kind = $1::text::"JobKind" AND parent_id IS NULL
    AND (status IN ('QUEUED', 'RUNNING') OR (status = 'INTERRUPTED' AND queue_name IS NOT NULL))
  ORDER BY id DESC LIMIT 1`;
