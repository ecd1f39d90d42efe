import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshPlannerStatistics, type Database } from "@deepcuts/db";
import { loadHistories } from "@deepcuts/engine/weekly/histories.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of planner-statistics.test.ts: ${skipPostgres}`);

const LISTENERS = 10_000;
const TRACKS_EACH = 20;

/** Listeners with TRACKS_EACH tracks heard each, as a bulk load leaves them: written, never analysed. */
async function load(db: Database, fromUser: number, listeners: number): Promise<void> {
  await db.query(
    `INSERT INTO users (id, external_key, name, time_zone)
     SELECT g, 'u' || g, 'u' || g, 'UTC' FROM generate_series($1::int, $2::int) g`,
    [fromUser, fromUser + listeners - 1],
  );
  await db.query(
    `INSERT INTO user_track_stats (user_id, track_id, streams, last_at)
     SELECT u, (SELECT min(id) FROM tracks) + (u * 7 + k) % 500, 1 + k % 3, now()
     FROM generate_series($1::int, $2::int) u, generate_series(0, ${TRACKS_EACH - 1}) k`,
    [fromUser, fromUser + listeners - 1],
  );
}

/** The plan's node types for a weekly batch's history read of 200 listeners. */
async function historyPlan(db: Database): Promise<string> {
  const ids = Array.from({ length: 200 }, (_, i) => 1 + i * 37);
  const [row] = await db.query<{ "QUERY PLAN": unknown }>(
    `EXPLAIN (FORMAT JSON) SELECT user_id, track_id, streams, saves FROM user_track_stats WHERE user_id = ANY($1::int[])`,
    [ids],
  );
  return JSON.stringify(row["QUERY PLAN"]);
}

const reltuples = async (db: Database, table: string) =>
  (await db.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)`, [table]))[0].n;

describe.each<Target>(["embedded", "postgres"])("planner statistics after a bulk load (%s)", (target) => {
  let t: TestDatabase;
  const skip = target === "postgres" && skipPostgres !== null;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    await t.db.query(`INSERT INTO artists (external_key, name) VALUES ('a', 'A')`);
    await t.db.query(
      `INSERT INTO tracks (external_key, title, artist_id, duration_ms)
       SELECT 't' || g, 'T' || g, (SELECT id FROM artists), 200000 FROM generate_series(1, 500) g`,
    );
    await load(t.db, 1, LISTENERS);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)("analyses tables never analysed, so a batch's history read uses the index, and the histories are unchanged", async () => {
    expect(await reltuples(t.db, "user_track_stats")).toBeLessThan(0);
    // Without statistics, 200 listeners' rows are planned as the whole table.
    expect(await historyPlan(t.db)).toContain('"Seq Scan"');
    const before = await loadHistories(t.db, [1, 2, 3]);
    const analysed = await refreshPlannerStatistics(t.db);
    expect(analysed).toEqual(expect.arrayContaining(["users", "tracks", "user_track_stats"]));
    expect(await reltuples(t.db, "user_track_stats")).toBeGreaterThan(0.9 * LISTENERS * TRACKS_EACH);
    const plan = await historyPlan(t.db);
    expect(plan).not.toContain('"Seq Scan"');
    expect(plan).toContain("user_track_stats_pkey");
    expect(await loadHistories(t.db, [1, 2, 3])).toEqual(before);
  });

  it.skipIf(skip)("leaves fresh statistics alone and analyses a table again once it has grown by more than a tenth", async () => {
    await refreshPlannerStatistics(t.db);
    expect(await refreshPlannerStatistics(t.db)).toEqual([]);
    // 2% more rows: not stale yet.
    await load(t.db, LISTENERS + 1, LISTENERS / 50);
    expect(await refreshPlannerStatistics(t.db, ["user_track_stats"])).toEqual([]);
    // 25% more in all: analysed again, and the row count follows.
    await load(t.db, LISTENERS + LISTENERS / 50 + 1, LISTENERS / 4 - LISTENERS / 50);
    expect(await refreshPlannerStatistics(t.db, ["user_track_stats", "users"])).toEqual(["user_track_stats", "users"]);
    expect(await reltuples(t.db, "user_track_stats")).toBeGreaterThan(1.15 * LISTENERS * TRACKS_EACH);
  });

  it.skipIf(skip || target === "embedded")("lets concurrent callers (generation shards) refresh together without an error", async () => {
    await load(t.db, 2 * LISTENERS, LISTENERS);
    const results = await Promise.all(Array.from({ length: 4 }, () => refreshPlannerStatistics(t.db, ["user_track_stats", "users"])));
    expect(results.flat()).toContain("user_track_stats");
    expect(await refreshPlannerStatistics(t.db, ["user_track_stats", "users"])).toEqual([]);
  });
});
