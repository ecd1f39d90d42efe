import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld, writeWorldAudio } from "@deepcuts/demo";
import { cancelJob, getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startAudioAnalysis } from "@deepcuts/engine/curation/work.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { startWorker, type RunningWorker } from "@deepcuts/engine/jobs/worker.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

// Issue 13: audio analysis fans out by track batches the way weekly generation fans out by
// listener ranges. Short clips (2 s) keep it fast; a worker in this process takes the batches.
const skipPostgres = await postgresUnavailable();
/** Tracks with audio (the world has 11, one per genre at least; the others get no audio). */
const TRACKS = 8;
const FINISHED = ["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settled(t: TestDatabase, id: number, ms = 60_000) {
  const until = Date.now() + ms;
  for (;;) {
    const job = await getJob(t.db, id);
    if (FINISHED.includes(job.status) || Date.now() > until) return job;
    await sleep(100);
  }
}

describe.each<Target>(["embedded", "postgres"])("audio analysis in track batches on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  const why = skip ? skipPostgres : "";
  let t: TestDatabase;
  let home: string;
  let worker: RunningWorker;

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    home = mkdtempSync(join(tmpdir(), "deepcuts-analysis-batches-"));
    const world = generateWorld({ scale: "default", listeners: 10, artists: 11, tracks: 11, events: 100, seed: 5 });
    await loadDemoWorld(t.db, world);
    const withAudio = world.tracks.slice(0, TRACKS);
    await t.db.query(`UPDATE tracks SET audio_path = NULL WHERE NOT (external_key = ANY($1::text[]))`, [withAudio.map((tr) => tr.key)]);
    await writeWorldAudio(world, join(home, "audio/demo"), { tracks: withAudio, seconds: 2, sampleRate: 11_025 });
    worker = await startWorker(t.db, { threads: 1, home, schedule: false });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    if (t) {
      await closeJobQueue(t.db);
      await t.drop();
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    `analyses every track exactly once in batches; the run's progress is the sum of its batches ${why}`,
    async () => {
      const run = await startAudioAnalysis(t.db, { batchSize: 5 });
      const done = await settled(t, run.id);
      expect(done.status, done.error ?? done.message).toBe("SUCCEEDED");
      expect(done.shards).toBe(2); // 8 tracks in batches of 5 and 3
      expect([done.done, done.total]).toEqual([TRACKS, TRACKS]);
      const batches = await t.db.query<{
        kind: string;
        status: string;
        total: number;
        attempts: number;
        analysed: number;
        params: { from: number; to: number };
      }>(
        `SELECT kind::text AS kind, status::text AS status, total, attempts, (result->>'analysed')::int AS analysed, params FROM jobs WHERE parent_id = $1 ORDER BY id`,
        [run.id],
      );
      expect(batches.map((b) => [b.kind, b.status, b.total, b.attempts, b.analysed])).toEqual([
        ["ANALYSE", "SUCCEEDED", 5, 1, 5],
        ["ANALYSE", "SUCCEEDED", 3, 1, 3],
      ]);
      // The ranges are disjoint and cover the tracks: with every batch's count, no track twice.
      for (let i = 1; i < batches.length; i++) expect(batches[i].params.from).toBeGreaterThan(batches[i - 1].params.to);
      expect((done.result as { analysis: { analysed: number; batches: number } }).analysis).toMatchObject({ analysed: TRACKS, batches: 2 });
      const [{ ok, tracks }] = await t.db.query<{ ok: number; tracks: number }>(
        `SELECT count(*) FILTER (WHERE a.status = 'OK')::int AS ok, count(*)::int AS tracks FROM tracks t LEFT JOIN audio_analyses a ON a.track_id = t.id WHERE t.audio_path IS NOT NULL`,
      );
      expect([ok, tracks]).toEqual([TRACKS, TRACKS]);

      // Nothing pending: a second run has no batches and analyses nothing.
      const again = await settled(t, (await startAudioAnalysis(t.db, { batchSize: 5 })).id);
      expect(again.status).toBe("SUCCEEDED");
      expect(again.shards).toBe(0);
      expect((again.result as { analysis: { analysed: number } }).analysis.analysed).toBe(0);
    },
    60_000,
  );

  it.skipIf(skip)(
    `cancelling the run stops its batches, keeping what they stored ${why}`,
    async () => {
      const before = await t.db.query<{ track_id: number; at: Date }>(`SELECT track_id, analysed_at AS at FROM audio_analyses WHERE analysed_at IS NOT NULL`);
      const run = await startAudioAnalysis(t.db, { redo: true, batchSize: 2 });
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE parent_id = $1 AND status = 'SUCCEEDED'`, [run.id]);
        if (n >= 1) break;
        await sleep(20);
      }
      const cancelled = await cancelJob(t.db, run.id);
      expect(cancelled.status).toBe("CANCELLED");
      // A running batch reads the cancel flag with its heartbeat (every second).
      let batches: { status: string }[] = [];
      for (const stop = Date.now() + 10_000; Date.now() < stop; await sleep(100)) {
        batches = await t.db.query<{ status: string }>(`SELECT status::text AS status FROM jobs WHERE parent_id = $1`, [run.id]);
        if (batches.every((b) => FINISHED.includes(b.status))) break;
      }
      expect(batches).toHaveLength(TRACKS / 2);
      expect(batches.filter((b) => !FINISHED.includes(b.status))).toEqual([]);
      const succeeded = batches.filter((b) => b.status === "SUCCEEDED").length;
      expect(succeeded).toBeGreaterThanOrEqual(1);
      expect(succeeded).toBeLessThan(TRACKS / 2);
      // What the finished batches redid is kept; the rest keep their first analysis.
      const after = await t.db.query<{ track_id: number; at: Date }>(`SELECT track_id, analysed_at AS at FROM audio_analyses WHERE analysed_at IS NOT NULL`);
      const firstAt = new Map(before.map((r) => [r.track_id, r.at.getTime()]));
      const redone = after.filter((r) => r.at.getTime() !== firstAt.get(r.track_id)).length;
      expect(redone).toBeGreaterThanOrEqual(2 * succeeded);
      expect(redone).toBeLessThan(TRACKS);
      const [{ pending }] = await t.db.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM pgboss.job WHERE name = 'deepcuts.analysis-shards' AND state < 'completed'`,
      );
      expect(pending).toBe(0);
    },
    60_000,
  );
});
