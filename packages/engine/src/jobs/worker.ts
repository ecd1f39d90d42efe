import type { Database } from "@deepcuts/db";
import type PgBoss from "pg-boss";
import { DataFormatError } from "@deepcuts/models/core";
import { FactorFileError } from "../importers/factor-files.ts";
import { ImportError } from "../importers/import-error.ts";
import { ServiceError } from "../service-error.ts";
import { dueListenerIds } from "../weekly/generate.ts";
import { enqueueUnlessInFlight, type QueuePayload } from "./enqueue.ts";
import { workFor, type WorkContext } from "./handlers.ts";
import { thisOwner } from "./owner.ts";
import { startScheduledCrawl } from "../crawl/jobs.ts";
import { closeJobQueue, CRAWL_CRON, jobQueueFor, METRICS_CRON, QUEUES, WEEKLY_CRON } from "./queue.ts";
import { startOutcomeMetrics } from "../outcomes/jobs.ts";
import { reconcileJobs, STALE_AFTER_SECONDS } from "./reconcile.ts";
import { forceFinish, readRecord } from "./records.ts";
import { interruptLiveJobs, runOwnedJob } from "./run.ts";

export interface WorkerOptions extends Partial<WorkContext> {
  threads: number;
  home: string;
  /** Shards this process works on at once (each scores listeners on the main thread: 1 per core). */
  shardConcurrency?: number;
  /** Take long jobs (training, analysis, imports, runs): default yes. */
  longJobs?: boolean;
  /** How often to reconcile job records (ms). */
  reconcileEveryMs?: number;
  staleAfterSeconds?: number;
  /** Register the weekly cron (every listener's Monday): default yes. */
  schedule?: boolean;
  log?: (line: string) => void;
}

export interface RunningWorker {
  owner: string;
  /** Stops taking jobs, interrupts the running ones (pg-boss retries them) and stops pg-boss. */
  stop(): Promise<void>;
}

const working = new Set<Database>();

/** Databases this process works jobs of (tests wait on them). */
export function workedDatabases(): Database[] {
  return [...working];
}

/**
 * A worker: takes jobs from pg-boss over `db` (long jobs one at a time, weekly-generation shards
 * `shardConcurrency` at a time, audio-analysis batches one at a time), runs each as the owner of its record, reconciles records at
 * start and every few seconds, works the dead-letter queue, and keeps the weekly cron.
 */
export async function startWorker(db: Database, options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? (() => {});
  const ctx: WorkContext = {
    threads: options.threads,
    home: options.home,
    shardSize: options.shardSize ?? 500,
    analysisBatchSize: options.analysisBatchSize ?? 100,
  };
  const stale = options.staleAfterSeconds ?? STALE_AFTER_SECONDS;
  const boss = await jobQueueFor(db, { supervise: true });
  await reconcileJobs(db, boss, stale);
  working.add(db);

  const handle = async ([job]: PgBoss.JobWithMetadata<QueuePayload>[]) => {
    const record = await readRecord(db, job.data.recordId);
    if (!record) return;
    const last = job.retryCount >= job.retryLimit;
    const outcome = await runOwnedJob(db, record.id, workFor(db, record, ctx), {
      // Bad input fails the same way on every attempt: it ends FAILED at once, with its error.
      failureStatus: (error) => (isPermanentFailure(error) ? "FAILED" : last ? "DEAD_LETTER" : "QUEUED"),
      resumeNote: "the job queue runs it again",
      handsOff: (result) => typeof result === "object" && result !== null && "fannedOut" in result,
    });
    if (outcome.status === "FAILED") log(`job ${record.id} (${record.kind}) failed, not retried: ${outcome.error?.message}`);
    if (outcome.status === "QUEUED" || outcome.status === "DEAD_LETTER" || outcome.status === "INTERRUPTED") {
      if (outcome.status !== "INTERRUPTED") log(`job ${record.id} (${record.kind}) failed: ${outcome.error?.message}`);
      throw outcome.error ?? new Error("job did not finish"); // pg-boss retries with backoff, or dead-letters
    }
  };
  const workIds: string[] = [];
  const work = async (queue: string, handler: (jobs: PgBoss.JobWithMetadata<QueuePayload>[]) => Promise<void>) => {
    workIds.push(await boss.work<QueuePayload>(queue, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1 }, handler));
  };
  if (options.longJobs ?? true) await work(QUEUES.jobs, handle);
  for (let i = 0; i < (options.shardConcurrency ?? 1); i++) await work(QUEUES.shards, handle);
  // Audio-analysis batches one at a time: each runs on a pool of `threads` worker threads.
  await work(QUEUES.analysisShards, handle);
  await work(QUEUES.dead, async ([job]) => {
    await forceFinish(db, job.data.recordId, "DEAD_LETTER", "dead letter: every attempt failed or its owner went away each time");
  });
  if (options.schedule ?? true) {
    await boss.schedule(QUEUES.weeklyTick, WEEKLY_CRON);
    await work(QUEUES.weeklyTick, async () => {
      await startDueGeneration(db, new Date());
    });
    await boss.schedule(QUEUES.metricsTick, METRICS_CRON);
    await work(QUEUES.metricsTick, async () => {
      await startOutcomeMetrics(db);
    });
    await boss.schedule(QUEUES.crawlTick, CRAWL_CRON);
    await work(QUEUES.crawlTick, async () => {
      await startScheduledCrawl(db);
    });
  }

  let reconciling = false;
  const timer = setInterval(() => {
    if (reconciling) return;
    reconciling = true;
    void reconcileJobs(db, boss, stale)
      .catch((error: Error) => log(`job reconciliation failed: ${error.message}`))
      .finally(() => (reconciling = false));
  }, options.reconcileEveryMs ?? 5000);
  timer.unref();

  let stopped: Promise<void> | null = null;
  return {
    owner: thisOwner,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        for (const id of workIds) await boss.offWork({ id }).catch(() => {});
        await interruptLiveJobs();
        working.delete(db);
        await closeJobQueue(db);
      })();
      return stopped;
    },
  };
}

/**
 * Errors no retry can mend: a bad line in an import file, a file in the wrong format, input a
 * service refuses by rule. Anything else (a lost connection, a full disk) is worth retrying.
 */
export function isPermanentFailure(error: Error): boolean {
  if (error instanceof ImportError || error instanceof DataFormatError || error instanceof FactorFileError) return true;
  return error instanceof ServiceError && (error.code === "BAD_USER_INPUT" || error.code === "NOT_FOUND");
}

/**
 * The weekly cron's tick: queues a generation run when some listener's Monday has begun and
 * their playlist is not made, unless a run is queued or running already.
 */
export async function startDueGeneration(db: Database, now: Date): Promise<number | null> {
  const inFlight = `SELECT id FROM jobs WHERE kind = $1::text::"JobKind" AND parent_id IS NULL AND status IN ('QUEUED', 'RUNNING') LIMIT 1`;
  if ((await db.query(inFlight, ["GENERATE"])).length) return null;
  const due = await dueListenerIds(db, now);
  if (due.length === 0) return null;
  const { record, queued } = await enqueueUnlessInFlight(db, "GENERATE", { now: now.toISOString(), source: "schedule" }, inFlight);
  return queued ? record.id : null;
}
