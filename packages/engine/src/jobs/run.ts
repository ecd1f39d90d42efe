import type { Database } from "@deepcuts/db";
import { claimRecord, finishRecord, settleParent, writeProgress, type JobStatusName } from "./records.ts";
import { thisOwner } from "./owner.ts";

import type { Progress } from "../progress.ts";
export type { Progress };
export type JobWork<T> = (progress: Progress, signal: AbortSignal) => Promise<T>;

/** Why this process stopped a job's work. */
type StopReason = "cancel" | "shutdown" | "lost";

interface LiveJob {
  db: Database;
  id: number;
  controller: AbortController;
  reason: StopReason | null;
  run: Promise<unknown>;
}

const live = new Map<number, LiveJob>();
let beat: NodeJS.Timeout | null = null;

/** How often a running job's owner renews its heartbeat and reads its cancel flag. */
export const HEARTBEAT_MS = 1000;

/** Jobs this process is running now. */
export function liveJobs(): number[] {
  return [...live.keys()];
}

/** Resolves once every job this process runs has ended. */
export async function settleLiveJobs(): Promise<void> {
  while (live.size > 0) await Promise.all([...live.values()].map((j) => j.run.catch(() => {})));
}

/** Stops this process's jobs for a shutdown: each ends INTERRUPTED (resumable) and is retried elsewhere or after restart. */
export async function interruptLiveJobs(waitMs = 10_000): Promise<void> {
  for (const job of live.values()) stop(job, "shutdown");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settleLiveJobs(), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
  clearTimeout(timer);
}

/** Aborts a job this process runs (the cancel path when the canceller is its owner). */
export function abortLiveJob(id: number): boolean {
  const job = live.get(id);
  if (!job) return false;
  stop(job, "cancel");
  return true;
}

function stop(job: LiveJob, reason: StopReason): void {
  job.reason ??= reason;
  job.controller.abort();
}

/**
 * One query per database per beat: renew the heartbeat of every job this process runs and read
 * back their cancel flags. A job whose row no longer names this process as a RUNNING owner was
 * declared gone by reconciliation (this process stalled): its work stops.
 */
async function heartbeat(): Promise<void> {
  const byDb = new Map<Database, LiveJob[]>();
  for (const job of live.values()) byDb.set(job.db, [...(byDb.get(job.db) ?? []), job]);
  for (const [db, jobs] of byDb) {
    const rows = await db
      .query<{ id: number; cancel_requested: boolean }>(
        `UPDATE jobs SET heartbeat_at = now() WHERE id = ANY($1::int[]) AND owner = $2 AND status = 'RUNNING' RETURNING id, cancel_requested`,
        [jobs.map((j) => j.id), thisOwner],
      )
      .catch(() => null);
    if (!rows) continue;
    const held = new Map(rows.map((r) => [r.id, r.cancel_requested]));
    for (const job of jobs) {
      if (!live.has(job.id)) continue;
      if (!held.has(job.id)) stop(job, "lost");
      else if (held.get(job.id)) stop(job, "cancel");
    }
  }
}

function ensureHeartbeat(): void {
  if (beat) return;
  let busy = false;
  beat = setInterval(() => {
    if (busy) return;
    if (live.size === 0) {
      clearInterval(beat!);
      beat = null;
      return;
    }
    busy = true;
    void heartbeat().finally(() => (busy = false));
  }, HEARTBEAT_MS);
}

export interface RunOutcome<T> {
  /** Where the record ended; "skipped" when it could not be claimed (finished or cancelled while queued). */
  status: JobStatusName | "skipped";
  result?: T;
  error?: Error;
}

export interface RunOptions {
  /** What a failure becomes: FAILED for a local job; for a queued one, QUEUED (a retry follows) or DEAD_LETTER on the last attempt. */
  failureStatus?: JobStatusName | ((error: Error) => JobStatusName);
  /** What a shutdown leaves: INTERRUPTED, with this note on how it resumes. */
  resumeNote?: string;
  /** True for a result that hands the record on (a run fanned out into shards): it stays RUNNING, owned by its shards. */
  handsOff?: (result: unknown) => boolean;
}

/**
 * Runs `work` as the owner of job record `id`: claims it (RUNNING, this process as owner),
 * renews its heartbeat and watches its cancel flag every second, writes progress at most twice
 * a second, and ends it SUCCEEDED, CANCELLED (a cancel reached it: what it committed stays),
 * INTERRUPTED (this process is shutting down) or `failureStatus`.
 */
export async function runOwnedJob<T>(db: Database, id: number, work: JobWork<T>, options: RunOptions = {}): Promise<RunOutcome<T>> {
  if (live.has(id)) return { status: "skipped" };
  const claimed = await claimRecord(db, id, thisOwner);
  if (!claimed) return { status: "skipped" };
  const controller = new AbortController();
  let settle!: () => void;
  const job: LiveJob = { db, id, controller, reason: null, run: new Promise<void>((r) => (settle = r)) };
  live.set(id, job);
  ensureHeartbeat();
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const progress: Progress = (message, done, total) => {
    const now = Date.now();
    if ((now - lastWrite < 500 && done < total) || controller.signal.aborted) return;
    lastWrite = now;
    writing = writing.then(() => writeProgress(db, id, thisOwner, message, done, total).catch(() => {}));
  };
  try {
    const result = await work(progress, controller.signal);
    await writing;
    if (options.handsOff?.(result)) {
      const rows = await db.query<{ id: number }>(
        `UPDATE jobs SET owner = 'shards', heartbeat_at = NULL, message = $3 WHERE id = $1 AND owner = $2 AND status = 'RUNNING' RETURNING id`,
        [id, thisOwner, `generating in ${(result as { fannedOut: number }).fannedOut} shards`],
      );
      if (rows.length) await settleParent(db, id);
      return { status: "RUNNING", result };
    }
    await finishRecord(db, id, thisOwner, { status: "SUCCEEDED", message: "done", result: result ?? null });
    return { status: "SUCCEEDED", result };
  } catch (caught) {
    await writing;
    const error = caught as Error;
    const reason = controller.signal.aborted ? job.reason : null;
    if (reason === "cancel") {
      await finishRecord(db, id, thisOwner, { status: "CANCELLED", message: `cancelled: ${error.message}` });
      return { status: "CANCELLED", error };
    }
    if (reason === "shutdown" || reason === "lost") {
      const note = reason === "lost" ? "its owner stopped answering" : `stopped by a shutdown${options.resumeNote ? `; ${options.resumeNote}` : ""}`;
      await finishRecord(db, id, thisOwner, { status: "INTERRUPTED", message: `interrupted: ${note}` });
      return { status: "INTERRUPTED", error };
    }
    const status = typeof options.failureStatus === "function" ? options.failureStatus(error) : (options.failureStatus ?? "FAILED");
    const message =
      status === "QUEUED" ? `attempt failed, will retry: ${error.message}` : status === "DEAD_LETTER" ? `dead letter: every attempt failed` : "failed";
    await finishRecord(db, id, thisOwner, { status, message, error: error.message });
    return { status, error };
  } finally {
    live.delete(id);
    settle();
  }
}
