import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startOutcomeMetrics } from "@deepcuts/engine/outcomes/jobs.ts";
import { closeJobQueue, jobQueueFor, QUEUES, queueJobState } from "@deepcuts/engine/jobs/queue.ts";
import { reconcileJobs } from "@deepcuts/engine/jobs/reconcile.ts";
import { startWorker, type RunningWorker } from "@deepcuts/engine/jobs/worker.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

// Issue 13, "nothing is lost": a worker that dies between fetching a job from pg-boss and
// claiming its record leaves the pg-boss job active with nobody on it. Reconciliation gives it
// back to pg-boss once the fetch is older than the stale limit, instead of after its expiry.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a job fetched by a process that died before claiming it (embedded)", () => {
  let t: TestDatabase;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    if (t) {
      await closeJobQueue(t.db);
      await t.drop();
    }
  });

  it("is failed back to pg-boss by reconciliation and then runs to the end once", async () => {
    const record = await startOutcomeMetrics(t.db, { weeks: 1 });
    const boss = await jobQueueFor(t.db);
    // The dead fetcher: takes the job from pg-boss and never claims the record.
    const [fetched] = await boss.fetch(QUEUES.jobs);
    expect(fetched.id).toBe(record.queueJobId);
    expect(await queueJobState(t.db, QUEUES.jobs, fetched.id)).toBe("active");

    // A fresh fetch is left alone (a live worker claims within milliseconds).
    await reconcileJobs(t.db, boss, 30);
    expect(await queueJobState(t.db, QUEUES.jobs, fetched.id)).toBe("active");

    await t.db.query(`UPDATE pgboss.job SET started_on = now() - interval '1 minute' WHERE id = $1::uuid`, [fetched.id]);
    const report = await reconcileJobs(t.db, boss, 30);
    expect(report.requeued).toEqual([record.id]);
    expect(await queueJobState(t.db, QUEUES.jobs, fetched.id)).toBe("retry");
    expect((await getJob(t.db, record.id)).status).toBe("QUEUED");

    worker = await startWorker(t.db, { threads: 1, home: "", schedule: false });
    const until = Date.now() + 60_000;
    let job = await getJob(t.db, record.id);
    while (job.status !== "SUCCEEDED" && Date.now() < until) {
      await sleep(200);
      job = await getJob(t.db, record.id);
    }
    expect(job.status, job.error ?? job.message).toBe("SUCCEEDED");
    expect(job.attempts).toBe(1);
  }, 90_000);
});
