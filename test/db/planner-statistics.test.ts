import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshPlannerStatistics, type Database } from "@deepcuts/db";
import { loadHistories } from "@deepcuts/engine/weekly/histories.ts";
import { writeWeeklyPlaylists, type PlaylistToWrite } from "@deepcuts/engine/weekly/generate.ts";
import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
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

/** One artist with `tracks` tracks, titled by the SQL expression `title` of their number g. */
async function catalogue(db: Database, tracks: number, title: string): Promise<void> {
  await db.query(`INSERT INTO artists (external_key, name) VALUES ('a', 'A')`);
  await db.query(
    `INSERT INTO tracks (external_key, title, artist_id, duration_ms)
     SELECT 't' || g, ${title}, (SELECT id FROM artists), 200000 FROM generate_series(1, $1::int) g`,
    [tracks],
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
    await catalogue(t.db, 500, `'T' || g`);
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
    expect(analysed).toEqual(expect.arrayContaining(["users", "user_track_stats"]));
    // 500 tracks fit in a few pages and no playlist is written yet: small tables keep the
    // planner's never-analysed guess (below).
    expect(analysed).not.toContain("tracks");
    expect(analysed).not.toContain("weekly_playlists");
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

/**
 * A first generation on a fresh database refreshes the statistics, then writes playlists into an
 * empty `weekly_playlists`. Analysed empty, that table was planned as nothing to scan, and the
 * foreign key check of every playlist item (cached per connection) scanned it whole: 30 scans a
 * listener, each longer than the last.
 */
describe.each<Target>(["embedded", "postgres"])("a first week's playlists after the statistics refresh (%s)", (target) => {
  let t: TestDatabase;
  const skip = target === "postgres" && skipPostgres !== null;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    await catalogue(t.db, 2000, `'Track ' || md5(g::text)`);
    await load(t.db, 1, 1000);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)("checks each item's playlist by its key, not by scanning the playlists", async () => {
    await refreshPlannerStatistics(t.db);
    const [blend] = await t.db.query<{ id: number }>(
      `INSERT INTO blend_configs (version, weights, constraints, author) VALUES (1, '{}', '{}', 't') RETURNING id`,
    );
    const [{ first }] = await t.db.query<{ first: number }>(`SELECT min(id)::int AS first FROM tracks`);
    const scores = Object.fromEntries(BLEND_SOURCES.map((s) => [s, 0.25])) as PlaylistToWrite["effectiveWeights"];
    const playlist = (userId: number): PlaylistToWrite => ({
      userId,
      week: "2026-11-30",
      status: "COMPLETE",
      blendId: blend.id,
      exposure: null,
      effectiveWeights: scores,
      items: Array.from({ length: 30 }, (_, i) => ({
        trackId: first + ((userId * 31 + i * 7) % 2000),
        score: 1 - i / 30,
        scores,
        reason: "because you played A",
        rank: i + 1,
        explored: false,
        propensity: 1,
        blendVersion: 1,
        arm: null,
      })),
    });
    // Four batches of 200, as a generation writes them; the scans of the last, counted inside its
    // transaction (with whatever its connection has not reported yet). Titles of 38 characters
    // make each snapshot large enough to be stored apart (TOAST), as real ones are, so the
    // table's own pages stay few.
    let scans = 0;
    for (let batch = 0; batch < 4; batch++)
      scans = await t.db.transaction(async (query, copyRows) => {
        const ids = await writeWeeklyPlaylists(
          query,
          Array.from({ length: 200 }, (_, i) => playlist(1 + batch * 200 + i)),
          { als: 1 },
          copyRows,
        );
        expect(ids.size).toBe(200);
        const [row] = await query<{ n: number }>(`SELECT seq_scan::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'weekly_playlists'`);
        return row.n;
      });
    expect(scans).toBeLessThan(30);
    const [{ items }] = await t.db.query<{ items: number }>(`SELECT count(*)::int AS items FROM playlist_items`);
    expect(items).toBe(800 * 30);
  });
});
