import type { Database } from "@deepcuts/db";
import type PgBoss from "pg-boss";
import { ownerIsGoneHere } from "./owner.ts";
import { cancelQueueJob, queueJobState } from "./queue.ts";
import { forceFinish, settleParent } from "./records.ts";

/** A running job whose owner has not renewed its heartbeat for this long is taken as ownerless. */
export const STALE_AFTER_SECONDS = 30;

export interface ReconcileReport {
  interrupted: number[];
  requeued: number[];
}

/**
 * Reconciles job records with the processes and the pg-boss jobs behind them, at start and on a
 * schedule, so that no job stays RUNNING without an owner:
 * - RUNNING with an owner that is gone (a process on this machine that no longer exists, or a
 *   heartbeat older than `staleAfterSeconds`) becomes INTERRUPTED;
 * - an INTERRUPTED queued job is handed back to pg-boss: its active pg-boss job is failed (so
 *   pg-boss retries it with backoff, or dead-letters it after the last attempt), a pg-boss job
 *   that already ended without it is sent again; a cancel requested meanwhile ends it CANCELLED;
 * - a QUEUED job whose pg-boss job was fetched (active) longer ago than `staleAfterSeconds` and
 *   never claimed (its fetcher died in between) is failed in pg-boss, which retries it;
 * - a fanned-out run whose shards have all ended is settled.
 * A job that ran in the foreground of a CLI command stays INTERRUPTED: running the command again resumes it.
 */
export async function reconcileJobs(db: Database, boss: PgBoss, staleAfterSeconds = STALE_AFTER_SECONDS): Promise<ReconcileReport> {
  const report: ReconcileReport = { interrupted: [], requeued: [] };
  const running = await db.query<{ id: number; owner: string | null; stale: boolean; done: number; total: number; message: string }>(
    `SELECT id, owner, (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1)) AS stale, done, total, message
     FROM jobs WHERE status = 'RUNNING' AND owner IS DISTINCT FROM 'shards'`,
    [staleAfterSeconds],
  );
  for (const job of running) {
    if (!job.stale && !ownerIsGoneHere(job.owner)) continue;
    const marked = await db.query(
      `UPDATE jobs SET status = 'INTERRUPTED', message = $3 WHERE id = $1 AND status = 'RUNNING' AND owner IS NOT DISTINCT FROM $2 RETURNING id`,
      [job.id, job.owner, `interrupted: its owner ${job.owner ?? "(none)"} went away at ${job.done}/${job.total} (${job.message})`],
    );
    if (marked.length) report.interrupted.push(job.id);
  }
  const interrupted = await db.query<{
    id: number;
    owner: string | null;
    stale: boolean;
    cancel_requested: boolean;
    queue_name: string | null;
    queue_job_id: string | null;
    attempts: number;
    parent_id: number | null;
  }>(
    `SELECT id, owner, (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => $1)) AS stale, cancel_requested, queue_name, queue_job_id, attempts, parent_id
     FROM jobs WHERE status = 'INTERRUPTED'`,
    [staleAfterSeconds],
  );
  for (const job of interrupted) {
    if (job.cancel_requested) {
      if (job.queue_name && job.queue_job_id) await cancelQueueJob(db, job.queue_name, job.queue_job_id);
      await forceFinish(db, job.id, "CANCELLED", "cancelled while interrupted");
      continue;
    }
    if (!job.queue_name || !job.queue_job_id) continue;
    const state = await queueJobState(db, job.queue_name, job.queue_job_id);
    if (state === "created" || state === "retry") continue; // pg-boss runs it again
    if (state === "active") {
      // The owner went away holding it: fail it now rather than at its expiry (hours for training).
      if (job.stale || ownerIsGoneHere(job.owner)) await boss.fail(job.queue_name, job.queue_job_id, { reason: "owner went away" }).catch(() => {});
      continue;
    }
    if (state === "failed") {
      await forceFinish(db, job.id, "DEAD_LETTER", "dead letter: every attempt failed or its owner went away each time");
      continue;
    }
    // Ended in pg-boss without its record (a stalled owner's late completion) or archived: send it again.
    if (job.stale || ownerIsGoneHere(job.owner)) {
      const queueJobId = await boss.send(job.queue_name, { recordId: job.id }, { retryLimit: 1, retryDelay: 5 });
      if (queueJobId) {
        await db.query(`UPDATE jobs SET queue_job_id = $2 WHERE id = $1 AND status = 'INTERRUPTED'`, [job.id, queueJobId]);
        report.requeued.push(job.id);
      }
    }
  }
  // Fetched from pg-boss by a process that died before it claimed the record (claiming follows
  // the fetch within milliseconds): the job would wait for its expiry (15 minutes for a shard,
  // hours for training). Fail it so pg-boss retries it now; a slow but live claimer still wins
  // the record, and the retry then finds it taken and completes without running it twice.
  const unclaimed = await db
    .query<{ id: number; queue_name: string; queue_job_id: string }>(
      `SELECT j.id, j.queue_name, j.queue_job_id FROM jobs j
       JOIN pgboss.job q ON q.name = j.queue_name AND q.id = j.queue_job_id::uuid
       WHERE j.status = 'QUEUED' AND NOT j.cancel_requested AND q.state = 'active'
         AND q.started_on < now() - make_interval(secs => $1)
         AND (j.heartbeat_at IS NULL OR j.heartbeat_at < now() - make_interval(secs => $1))`,
      [staleAfterSeconds],
    )
    .catch(() => []);
  for (const job of unclaimed) {
    await boss.fail(job.queue_name, job.queue_job_id, { reason: "fetched but never claimed: its worker went away" }).catch(() => {});
    report.requeued.push(job.id);
  }
  const runs = await db.query<{ id: number }>(`SELECT id FROM jobs WHERE owner = 'shards' AND status = 'RUNNING'`);
  for (const run of runs) await settleParent(db, run.id);
  return report;
}
