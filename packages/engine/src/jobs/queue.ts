import type { Database } from "@deepcuts/db";
import PgBoss from "pg-boss";
import type { JobKindName } from "./records.ts";

/** pg-boss queues: long jobs one at a time per worker, weekly-generation shards, audio-analysis batches, the weekly cron, the dead letters. */
export const QUEUES = {
  jobs: "deepcuts.jobs",
  shards: "deepcuts.weekly-shards",
  analysisShards: "deepcuts.analysis-shards",
  weeklyTick: "deepcuts.weekly-tick",
  metricsTick: "deepcuts.metrics-tick",
  crawlTick: "deepcuts.crawl-tick",
  dead: "deepcuts.dead-letter",
} as const;

/** The online metrics are recomputed daily at 04:00 UTC (outcomes/metrics.ts): this week's fill in as outcomes arrive. */
export const METRICS_CRON = "0 4 * * *";

/** The seed sites are crawled daily at 03:30 UTC (crawl/jobs.ts), before the metrics and well before Monday's playlists. */
export const CRAWL_CRON = "30 3 * * *";

/** Every 15 minutes, so time zones with half- and quarter-hour offsets start their Monday on time. */
export const WEEKLY_CRON = "*/15 * * * *";

/**
 * Retry and expiry per kind of work. pg-boss has no heartbeat: a job running past its expiry is
 * fetched again while the first attempt still runs, so expiry is far beyond a job's running
 * time, and a dead owner is found sooner by our own heartbeat (reconcile.ts).
 */
export const SEND_OPTIONS: Record<JobKindName | "SHARD", PgBoss.SendOptions> = {
  TRAIN: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 4 * 3600 },
  ANALYSE: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 4 * 3600 },
  IMPORT: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 2 * 3600 },
  GENERATE: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 30 * 60 },
  SIMULATE: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 30 * 60 },
  METRICS: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 30 * 60 },
  CRAWL: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 2 * 3600 },
  SHARD: { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 15 * 60 },
};

export interface QueueOptions {
  /** Run pg-boss's supervisor (expiry, retention) and cron clock: workers do, an API-only process need not. */
  supervise?: boolean;
  pollingIntervalSeconds?: number;
}

const started = new WeakMap<Database, Promise<PgBoss>>();

/**
 * The pg-boss instance of `db` in this process, over the same connection pool as everything
 * else (the embedded database's socket server allows few connections), created and started on
 * first use: its own schema (`pgboss`) and our queues.
 */
export function jobQueueFor(db: Database, options: QueueOptions = {}): Promise<PgBoss> {
  let boss = started.get(db);
  if (!boss) {
    boss = openJobQueue(db, options);
    started.set(db, boss);
    boss.catch(() => started.delete(db));
  }
  return boss;
}

async function openJobQueue(db: Database, options: QueueOptions): Promise<PgBoss> {
  // Processes starting together race to create pg-boss's schema (its lock is taken inside the
  // script, after CREATE SCHEMA): the loser sees a unique violation and tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startJobQueue(db, options);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 5 || !["23505", "42P06", "42P07", "40P01"].includes(code ?? "")) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

async function startJobQueue(db: Database, options: QueueOptions): Promise<PgBoss> {
  const supervise = options.supervise ?? false;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => db.executeSql(text, values) },
    schema: "pgboss",
    supervise,
    schedule: supervise,
    migrate: true,
    superviseIntervalSeconds: 5,
    maintenanceIntervalSeconds: 60,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
  } as PgBoss.ConstructorOptions);
  boss.on("error", () => {}); // transient polling errors: the next poll retries
  await boss.start();
  try {
    const queues: [string, Omit<PgBoss.Queue, "name">][] = [
      [QUEUES.dead, { retentionMinutes: 14 * 24 * 60 }],
      [QUEUES.jobs, { deadLetter: QUEUES.dead }],
      [QUEUES.shards, { deadLetter: QUEUES.dead }],
      [QUEUES.analysisShards, { deadLetter: QUEUES.dead }],
      [QUEUES.weeklyTick, { policy: "singleton" }],
      [QUEUES.metricsTick, { policy: "singleton" }],
      [QUEUES.crawlTick, { policy: "singleton" }],
    ];
    for (const [name, queue] of queues) if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, ...queue });
  } catch (error) {
    await boss.stop({ graceful: false, close: false, wait: true }).catch(() => {});
    throw error;
  }
  return boss;
}

/** Stops `db`'s pg-boss in this process (its workers first), before the database closes. */
export async function closeJobQueue(db: Database): Promise<void> {
  const boss = started.get(db);
  if (!boss) return;
  started.delete(db);
  await (await boss.catch(() => null))?.stop({ graceful: true, close: false, timeout: 1000, wait: true });
}

/** Marks a pg-boss job cancelled by SQL, so any process can do it without a started pg-boss. */
export async function cancelQueueJob(db: Database, queueName: string, queueJobId: string): Promise<void> {
  await db
    .query(`UPDATE pgboss.job SET state = 'cancelled', completed_on = now() WHERE name = $1 AND id = $2::uuid AND state < 'completed'`, [queueName, queueJobId])
    .catch(() => {});
}

/** The pg-boss state of a job (null when pg-boss has no such job, or no schema yet). */
export async function queueJobState(db: Database, queueName: string, queueJobId: string): Promise<string | null> {
  const rows = await db
    .query<{ state: string }>(`SELECT state::text AS state FROM pgboss.job WHERE name = $1 AND id = $2::uuid`, [queueName, queueJobId])
    .catch(() => []);
  return rows[0]?.state ?? null;
}
