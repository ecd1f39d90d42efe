import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startWeeklyGeneration } from "@deepcuts/engine/curation/work.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { startWorker, type RunningWorker } from "@deepcuts/engine/jobs/worker.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

// Issue 13: "every listener gets exactly one playlist for the week, none is lost". A run is
// declared done only once every listener its shards covered has the week's playlist: a shard
// that reported success with listeners still missing runs once more, and a run whose listeners
// are still missing after that fails and says how many. The loss is forced here by a trigger
// that swallows some playlist inserts (once per listener, or always).
const FINISHED = ["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"];
const quiet = { callback: () => {}, done: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a weekly-generation run is verified before it is declared done (embedded)", () => {
  let t: TestDatabase;
  let worker: RunningWorker;
  let ids: number[];

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    await loadDemoWorld(t.db, generateWorld({ scale: "default", listeners: 40, artists: 20, tracks: 200, events: 2000, seed: 3 }));
    await trainModels(t.db, ["popularity", "als"], { threads: 1, progress: () => quiet });
    ids = (await t.db.query<{ id: number }>(`SELECT id FROM users ORDER BY id`)).map((u) => u.id);
    // Inserts for listeners named in `swallow` vanish; with once = true each is swallowed a single time.
    await t.db.execScript(`
      CREATE TABLE swallow (user_id int PRIMARY KEY, once boolean NOT NULL);
      CREATE FUNCTION swallow_playlist() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM swallow WHERE user_id = NEW.user_id) THEN
          DELETE FROM swallow WHERE user_id = NEW.user_id AND once;
          RETURN NULL;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER swallow_playlist BEFORE INSERT ON weekly_playlists FOR EACH ROW EXECUTE FUNCTION swallow_playlist();`);
    worker = await startWorker(t.db, { threads: 1, home: "", schedule: false, reconcileEveryMs: 300 });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    if (t) {
      await closeJobQueue(t.db);
      await t.drop();
    }
  });

  const settled = async (id: number) => {
    const until = Date.now() + 60_000;
    for (;;) {
      const job = await getJob(t.db, id);
      if (FINISHED.includes(job.status) || Date.now() > until) return job;
      await sleep(100);
    }
  };
  const playlists = async (now: Date) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM weekly_playlists WHERE week_start = $1::date - 2`, [now.toISOString().slice(0, 10)]))[0].n;

  it("a shard that succeeded with listeners missing runs again and the run ends with every playlist made once", async () => {
    const now = new Date("2026-12-09T12:00:00Z"); // a Wednesday: the week of Monday 7 December everywhere
    // Three listeners of the second shard (shards of 10) lose their first insert.
    await t.db.query(`INSERT INTO swallow SELECT unnest($1::int[]), true`, [ids.slice(12, 15)]);
    const run = await startWeeklyGeneration(t.db, { now, shardSize: 10 });
    const done = await settled(run.id);
    expect(done.status, done.message).toBe("SUCCEEDED");
    expect(await playlists(now)).toBe(ids.length);
    const shards = await t.db.query<{ attempts: number; rechecked: boolean | null; made: number; status: string }>(
      `SELECT attempts, (params->>'rechecked')::boolean AS rechecked, (result->>'made')::int AS made, status::text AS status FROM jobs WHERE parent_id = $1 ORDER BY (params->>'from')::int`,
      [run.id],
    );
    expect(shards.map((s) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    // Only the second shard ran twice, and its second pass made exactly the three that were missing.
    expect(shards.map((s) => [s.attempts, s.rechecked ?? false])).toEqual([
      [1, false],
      [2, true],
      [1, false],
      [1, false],
    ]);
    expect(shards[1].made).toBe(3);
    const [{ doubled }] = await t.db.query<{ doubled: number }>(
      `SELECT count(*)::int AS doubled FROM (SELECT user_id FROM weekly_playlists GROUP BY user_id, week_start HAVING count(*) > 1) d`,
    );
    expect(doubled).toBe(0);
  }, 90_000);

  it("a run whose listeners are still missing after the second pass fails and says how many", async () => {
    const now = new Date("2026-12-16T12:00:00Z");
    await t.db.query(`INSERT INTO swallow SELECT unnest($1::int[]), false`, [ids.slice(31, 33)]);
    const run = await startWeeklyGeneration(t.db, { now, shardSize: 10 });
    const done = await settled(run.id);
    expect(done.status).toBe("FAILED");
    expect(done.message).toBe("failed: 2 listeners of its shards still have no playlist after their shards ran again");
    expect(await playlists(now)).toBe(ids.length - 2);
  }, 90_000);
});
