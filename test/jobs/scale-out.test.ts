import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { cancelJob, getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startWeeklyGeneration } from "@deepcuts/engine/curation/work.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";
import { startWorkerProcess, type WorkerProcess } from "../support/workers.ts";

// Issue 13: real worker processes over a real PostgreSQL server. The world is 3,000 listeners
// here (CI time); DEEPCUTS_SCALE_TEST_LISTENERS=10000 runs the issue's 10,000-listener world.
const skip = await postgresUnavailable();
const LISTENERS = Number(process.env.DEEPCUTS_SCALE_TEST_LISTENERS ?? 3000);
const SHARD = Math.max(50, Math.round(LISTENERS / 40));
const quiet = { callback: () => {}, done: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip !== null)(`sharded weekly generation on worker processes (${skip ?? `${LISTENERS} listeners`})`, () => {
  let t: TestDatabase;
  let workers: WorkerProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    await loadDemoWorld(t.db, generateWorld({ scale: "default", listeners: LISTENERS, events: LISTENERS * 20, seed: 7 }));
    await trainModels(t.db, ["popularity", "als"], { threads: 2, progress: () => quiet });
    // Three workers; a short heartbeat timeout so the killed one's shard comes back within seconds.
    workers = await Promise.all([0, 1, 2].map(() => startWorkerProcess(t.url!, { DEEPCUTS_JOB_STALE_SECONDS: "8" })));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    if (t) {
      await closeJobQueue(t.db);
      await t.drop();
    }
  });

  const week = async (now: Date) => {
    const [row] = await t.db.query<{ playlists: number; listeners: number; items: number; doubled: number }>(
      `SELECT count(*)::int AS playlists, count(DISTINCT user_id)::int AS listeners,
              (SELECT count(*)::int FROM playlist_items i JOIN weekly_playlists p2 ON p2.id = i.playlist_id WHERE p2.week_start >= $1::date - 7 AND p2.week_start <= $1::date) AS items,
              (SELECT count(*)::int FROM (SELECT playlist_id, position FROM playlist_items GROUP BY 1, 2 HAVING count(*) > 1) d) AS doubled
       FROM weekly_playlists WHERE week_start >= $1::date - 7 AND week_start <= $1::date`,
      [now.toISOString().slice(0, 10)],
    );
    return row;
  };

  it("three workers make one playlist per listener although one is killed (SIGKILL) half way; no shard completes twice", async () => {
    const now = new Date("2026-12-09T12:00:00Z");
    const run = await startWeeklyGeneration(t.db, { now, shardSize: SHARD });
    // Half way, kill a worker that is in the middle of a shard.
    let victim: WorkerProcess | undefined;
    let killedShard: number | undefined;
    const deadline = Date.now() + 240_000;
    while (!victim && Date.now() < deadline) {
      const r = await getJob(t.db, run.id);
      if (r.total > 0 && r.done >= r.total / 2) {
        const running = await t.db.query<{ id: number; owner: string }>(`SELECT id, owner FROM jobs WHERE parent_id = $1 AND status = 'RUNNING'`, [run.id]);
        const target = running.map((s) => ({ s, w: workers.find((w) => w.owner === s.owner) })).find((x) => x.w);
        if (target) {
          victim = target.w!;
          killedShard = target.s.id;
          victim.child.kill("SIGKILL");
        }
      }
      await sleep(50);
    }
    expect(victim, "a worker was killed mid-shard half way through the run").toBeDefined();
    let final = await getJob(t.db, run.id);
    while (!["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"].includes(final.status) && Date.now() < deadline + 120_000) {
      await sleep(250);
      final = await getJob(t.db, run.id);
    }
    expect(final.status).toBe("SUCCEEDED");
    // A shard sent back by the run's verification (records.ts) would mean one reported success with listeners missing: say so.
    const rechecked = await t.db.query(`SELECT id, attempts, message FROM jobs WHERE parent_id = $1 AND (params->>'rechecked')::boolean`, [run.id]);
    if (rechecked.length) console.warn(`shards sent back by the run's verification: ${JSON.stringify(rechecked)}`);
    const [{ listeners }] = await t.db.query<{ listeners: number }>(`SELECT count(*)::int AS listeners FROM users`);
    const made = await week(now);
    if (made.playlists !== listeners) {
      // What each shard says it did, and where the missing listeners' playlists went, for the log.
      console.log(
        JSON.stringify(
          await t.db.query(`SELECT id, status::text, attempts, owner, params, result, message, done, total FROM jobs WHERE parent_id = $1 ORDER BY id`, [
            run.id,
          ]),
        ),
      );
      console.log(JSON.stringify(await t.db.query(`SELECT week_start::text, count(*)::int FROM weekly_playlists GROUP BY 1`)));
      console.log(`killed shard ${killedShard} of ${victim!.owner}`);
    }
    expect(made.playlists).toBe(listeners);
    expect(made.listeners).toBe(listeners);
    expect(made.doubled).toBe(0);
    // Progress is the sum of the shards; every shard succeeded exactly once, and their counts add up to every listener once.
    expect(final.done).toBe(listeners);
    expect(final.total).toBe(listeners);
    const shards = await t.db.query<{ id: number; status: string; attempts: number; made: number; alreadyMade: number; owner: string }>(
      `SELECT id, status::text AS status, attempts, (result->>'made')::int AS made, (result->>'alreadyMade')::int AS "alreadyMade", owner
       FROM jobs WHERE parent_id = $1 ORDER BY id`,
      [run.id],
    );
    expect(shards.length).toBe(Math.ceil(listeners / SHARD));
    expect(shards.every((s) => s.status === "SUCCEEDED")).toBe(true);
    // Every listener counted once: a shard done in one attempt made all of its range; the killed
    // shard's second attempt reports as already made what its first committed before the SIGKILL
    // (all of it, when the kill landed between its last commit and its record's).
    expect(shards.filter((s) => s.attempts === 1).every((s) => s.alreadyMade === 0)).toBe(true);
    const retried = shards.filter((s) => s.attempts > 1);
    expect(shards.reduce((sum, s) => sum + s.made, 0) + retried.reduce((sum, s) => sum + s.alreadyMade, 0)).toBe(listeners);
    const killed = shards.find((s) => s.id === killedShard)!;
    // The shard was RUNNING when its worker was picked; if it committed in the instant before the
    // SIGKILL landed, it stays its first owner's, done once. Otherwise another worker redid it.
    if (killed.attempts === 1) expect(killed.owner).toBe(victim!.owner);
    else {
      expect(killed.attempts).toBe(2);
      expect(killed.owner).not.toBe(victim!.owner);
    }
    // Work was spread: the surviving workers both finished shards.
    const owners = new Set(shards.map((s) => s.owner));
    expect(owners.size).toBeGreaterThanOrEqual(2);
    workers = workers.filter((w) => w !== victim);
  }, 420_000);

  it("a run cancelled from another process stops within seconds and keeps the playlists it committed", async () => {
    const now = new Date("2026-12-16T12:00:00Z");
    const run = await startWeeklyGeneration(t.db, { now, shardSize: SHARD });
    const deadline = Date.now() + 120_000;
    while ((await getJob(t.db, run.id)).done < SHARD && Date.now() < deadline) await sleep(50);
    const asked = Date.now();
    const cancelled = await cancelJob(t.db, run.id, 15_000);
    const seconds = (Date.now() - asked) / 1000;
    expect(cancelled.status).toBe("CANCELLED");
    expect(seconds).toBeLessThan(5);
    const made = await week(now);
    expect(made.playlists).toBeGreaterThan(0);
    expect(made.playlists).toBeLessThan(LISTENERS);
    expect(made.doubled).toBe(0);
    const open = await t.db.query(`SELECT id FROM jobs WHERE parent_id = $1 AND status NOT IN ('SUCCEEDED', 'CANCELLED')`, [run.id]);
    expect(open).toEqual([]);
    // What was committed stays, and nothing more is written after the cancel.
    await sleep(3000);
    expect((await week(now)).playlists).toBe(made.playlists);
  }, 180_000);
});
