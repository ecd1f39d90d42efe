import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@deepcuts/db";
import { startCrawl } from "@deepcuts/engine/crawl/jobs.ts";
import { startAudioAnalysis, startTraining, startWeeklyGeneration } from "@deepcuts/engine/curation/work.ts";
import { closeJobQueue, jobQueueFor } from "@deepcuts/engine/jobs/queue.ts";
import { startDueGeneration } from "@deepcuts/engine/jobs/worker.ts";
import { startOutcomeMetrics } from "@deepcuts/engine/outcomes/jobs.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of enqueue-race.test.ts: ${skipPostgres}`);

/**
 * Work that runs one at a time (training, a weekly generation run, an analysis, the metrics, a
 * crawl) is queued only when none of its kind is in flight. The callers race: API replicas and a
 * curator's second click, every worker's cron tick, each `serve` at its start. Eight at once on
 * PostgreSQL (no worker: the jobs stay queued) must queue one job and all answer with it.
 */
describe.skipIf(skipPostgres !== null)("queueing one-at-a-time work from many callers at once on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    await jobQueueFor(t.db);
    // Every connection of the pool open, so the callers of the first case start together too.
    await Promise.all(Array.from({ length: 8 }, () => t.db.query(`SELECT pg_sleep(0.05)`)));
  });
  afterAll(async () => {
    if (t) await closeJobQueue(t.db);
    await t?.drop();
  });

  const jobsOf = async (kind: string) => (await t.db.query<{ id: number }>(`SELECT id FROM jobs WHERE kind = $1::text::"JobKind"`, [kind])).map((r) => r.id);
  const eight = <T>(start: (db: Database) => Promise<T>) => Promise.all(Array.from({ length: 8 }, () => start(t.db)));

  it.each([
    ["TRAIN", (db: Database) => startTraining(db, ["popularity"])],
    ["GENERATE", (db: Database) => startWeeklyGeneration(db)],
    ["ANALYSE", (db: Database) => startAudioAnalysis(db)],
    ["METRICS", (db: Database) => startOutcomeMetrics(db)],
    ["CRAWL", (db: Database) => startCrawl(db)],
  ] as const)("queues one %s job", async (kind, start) => {
    const records = await eight(start);
    const ids = await jobsOf(kind);
    expect(ids).toHaveLength(1);
    expect(records.map((r) => r.id)).toEqual(Array(8).fill(ids[0]));
  });

  it("queues one weekly generation run from the cron ticks of several workers", async () => {
    await t.db.query(`UPDATE jobs SET status = 'CANCELLED' WHERE kind = 'GENERATE'`);
    await t.db.query(`INSERT INTO users (external_key, name) VALUES ('due', 'Due')`);
    const queued = await eight((db) => startDueGeneration(db, new Date()));
    const open = await t.db.query<{ id: number }>(`SELECT id FROM jobs WHERE kind = 'GENERATE' AND status = 'QUEUED'`);
    expect(open).toHaveLength(1);
    expect(queued.filter((id) => id !== null)).toEqual([open[0].id]);
  });
});
