import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld, writeWorldAudio } from "@deepcuts/demo";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startAudioAnalysis } from "@deepcuts/engine/curation/work.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";
import { startWorkerProcess, type WorkerProcess } from "../support/workers.ts";

// Issue 13: an audio-analysis batch whose worker process is killed (SIGKILL) half way is run
// again by another worker, which analyses only what the killed one had not stored: every track
// is analysed exactly once. Real `deepcuts-worker` processes need a database server: PostgreSQL.
const skip = await postgresUnavailable();
const TRACKS = 11;
const BATCH = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip !== null)(`audio-analysis batches on worker processes, one killed (${skip ?? "PostgreSQL"})`, () => {
  let t: TestDatabase;
  let home: string;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    home = mkdtempSync(join(tmpdir(), "deepcuts-analysis-kill-"));
    const world = generateWorld({ scale: "default", listeners: 10, artists: 11, tracks: TRACKS, events: 100, seed: 9 });
    await loadDemoWorld(t.db, world);
    await writeWorldAudio(world, join(home, "audio/demo"), { seconds: 6, sampleRate: 11_025 });
    // A short heartbeat timeout, so the killed worker's batch comes back within seconds.
    workers = await Promise.all([0, 1].map(() => startWorkerProcess(t.url!, { DEEPCUTS_HOME: home, DEEPCUTS_JOB_STALE_SECONDS: "5" })));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    if (t) {
      await closeJobQueue(t.db);
      await t.drop();
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("retries the killed worker's batch elsewhere; every track is analysed exactly once", async () => {
    const run = await startAudioAnalysis(t.db, { batchSize: BATCH });
    // Kill the owner of a batch that has stored part of its tracks.
    let killed: { id: number; from: number; to: number; total: number } | undefined;
    const deadline = Date.now() + 90_000;
    while (!killed && Date.now() < deadline) {
      // Stored results, not the progress field: progress is written at most every 500 ms, and a
      // batch on an idle machine can finish in less.
      const [batch] = await t.db.query<{ id: number; owner: string; total: number; from: number; to: number }>(
        `SELECT id, owner, total, "from", "to" FROM (
           SELECT id, owner, total, (params->>'from')::int AS "from", (params->>'to')::int AS "to" FROM jobs
           WHERE parent_id = $1 AND status = 'RUNNING') j
         WHERE (SELECT count(*) FROM audio_analyses a WHERE a.status = 'OK' AND a.track_id BETWEEN j."from" AND j."to") BETWEEN 1 AND j.total - 2
         ORDER BY id LIMIT 1`,
        [run.id],
      );
      const victim = batch && workers.find((w) => w.owner === batch.owner);
      if (victim) {
        victim.child.kill("SIGKILL");
        await new Promise<void>((r) => (victim.child.exitCode !== null || victim.child.signalCode !== null ? r() : victim.child.once("exit", () => r())));
        killed = batch;
      } else await sleep(10);
    }
    expect(killed, "a batch was caught half way").toBeDefined();
    await sleep(500); // a statement the killed process sent last has ended on the server
    const [{ stored }] = await t.db.query<{ stored: number }>(
      `SELECT count(*)::int AS stored FROM audio_analyses WHERE status = 'OK' AND track_id BETWEEN $1 AND $2`,
      [killed!.from, killed!.to],
    );
    expect(stored).toBeGreaterThanOrEqual(1);
    expect(stored).toBeLessThan(killed!.total);

    let job = await getJob(t.db, run.id);
    for (const until = Date.now() + 90_000; !["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"].includes(job.status) && Date.now() < until; await sleep(250)) {
      job = await getJob(t.db, run.id);
    }
    expect(job.status, job.error ?? job.message).toBe("SUCCEEDED");
    expect([job.done, job.total]).toEqual([TRACKS, TRACKS]);
    const batches = await t.db.query<{ id: number; status: string; attempts: number; analysed: number }>(
      `SELECT id, status::text AS status, attempts, (result->>'analysed')::int AS analysed FROM jobs WHERE parent_id = $1 ORDER BY id`,
      [run.id],
    );
    expect(batches.map((b) => b.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    const again = batches.find((b) => b.id === killed!.id)!;
    expect(again.attempts).toBe(2);
    // The second attempt analysed exactly what the first had not stored; the others each once.
    expect(again.analysed).toBe(killed!.total - stored);
    expect(batches.reduce((s, b) => s + b.analysed, 0) + stored).toBe(TRACKS);
    const [{ ok }] = await t.db.query<{ ok: number }>(`SELECT count(*)::int AS ok FROM audio_analyses WHERE status = 'OK'`);
    expect(ok).toBe(TRACKS);
    console.log(`killed the worker of batch ${killed!.id} after it stored ${stored} of ${killed!.total} tracks; its second attempt analysed ${again.analysed}`);
  }, 150_000);
});
