import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { CancelledError } from "@deepcuts/models/core";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { previewPlaylist } from "@deepcuts/engine/weekly/preview.ts";
import { defaultBlendConstraints, defaultBlendWeights } from "@deepcuts/models/blend";
import { weekStartFor } from "@deepcuts/engine/weekly/week.ts";
import type { Database } from "@deepcuts/db";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const quietBar = () => ({ callback: () => {}, done: () => {} });
const now = new Date("2026-11-25T12:00:00Z");
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase("embedded");
  const world = generateWorld({ seed: 7, listeners: 150, artists: 40, tracks: 600, events: 25_000, now: new Date("2026-11-25T00:00:00Z") });
  await loadDemoWorld(t.db, world);
  await trainModels(t.db, ["popularity", "als", "text"], { threads: 1, progress: quietBar });
  await awkwardCatalogue(t.db);
});

afterAll(async () => {
  await t?.drop();
});

describe("weekly generation", () => {
  it("resumes after being stopped half way, and never makes a (listener, week) playlist twice", async () => {
    const stop = new AbortController();
    await expect(generateDuePlaylists(t.db, { now, batchSize: 20, onProgress: (_m, done) => done >= 40 && stop.abort(), signal: stop.signal })).rejects.toThrow(
      CancelledError,
    );
    const [{ n: partial }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM weekly_playlists`);
    expect(partial).toBeGreaterThanOrEqual(40);
    expect(partial).toBeLessThan(150);
    // Two runs at once after the crash: together they finish the rest, and nothing is doubled.
    const [a, b] = await Promise.all([generateDuePlaylists(t.db, { now, batchSize: 20 }), generateDuePlaylists(t.db, { now, batchSize: 20 })]);
    expect(a.made + b.made).toBe(150 - partial);
    const again = await generateDuePlaylists(t.db, { now });
    expect(again.made).toBe(0);
    expect(again.alreadyMade).toBe(150);
    const dupes = await t.db.query(`SELECT user_id, week_start FROM weekly_playlists GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dupes).toHaveLength(0);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM weekly_playlists`);
    expect(n).toBe(150);
  });

  it("inserts each playlist with the items snapshot the SQL functions would build for it", async () => {
    await expectSnapshotsAsInSql(t.db, 150);
  });

  it("files each playlist under the Monday of the listener's own time zone", async () => {
    const rows = await t.db.query<{ time_zone: string; week: string }>(
      `SELECT u.time_zone, to_char(p.week_start, 'YYYY-MM-DD') AS week FROM weekly_playlists p JOIN users u ON u.id = p.user_id`,
    );
    expect(new Set(rows.map((r) => r.time_zone)).size).toBeGreaterThan(1);
    for (const r of rows) expect(r.week).toBe(weekStartFor(now, r.time_zone));
  });

  it("never includes a track the listener played, keeps artist caps, and fills 30 tracks", async () => {
    const played = await t.db.query(
      `SELECT p.user_id, i.track_id FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id
       JOIN user_track_stats s ON s.user_id = p.user_id AND s.track_id = i.track_id`,
    );
    expect(played).toHaveLength(0);
    const capped = await t.db.query(
      `SELECT p.id, t.artist_id FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id JOIN tracks t ON t.id = i.track_id
       GROUP BY p.id, t.artist_id HAVING count(*) > 2`,
    );
    expect(capped).toHaveLength(0);
    const sizes = await t.db.query<{ status: string; items: number }>(
      `SELECT p.status, count(i.*)::int AS items FROM weekly_playlists p LEFT JOIN playlist_items i ON i.playlist_id = p.id GROUP BY p.id, p.status`,
    );
    expect(sizes.filter((s) => s.status === "COMPLETE").length).toBeGreaterThan(100);
    for (const s of sizes) if (s.status !== "SHORT") expect(s.items).toBe(30);
  });

  it("explains items with the listener's real history", async () => {
    const rows = await t.db.query<{ user_id: number; reason: string; status: string }>(
      `SELECT p.user_id, i.reason, p.status FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id WHERE p.status = 'COMPLETE'`,
    );
    const known = await t.db.query<{ user_id: number; name: string }>(
      `SELECT s.user_id, a.name FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.plays > 0`,
    );
    const knownBy = new Map<number, Set<string>>();
    for (const k of known) (knownBy.get(k.user_id) ?? knownBy.set(k.user_id, new Set()).get(k.user_id)!).add(k.name);
    let named = 0;
    let described = 0;
    for (const r of rows) {
      const m = /because you play (.+) a lot/.exec(r.reason) ?? /described like (.+)$/.exec(r.reason);
      if (!m) continue;
      named++;
      if (r.reason.includes("described like")) described++;
      expect(knownBy.get(r.user_id)?.has(m[1]), `${m[1]} is not in listener ${r.user_id}'s history`).toBe(true);
    }
    expect(named).toBeGreaterThan(rows.length / 4);
    // The text model is trained: some picks are there mostly for how they are written about.
    expect(described).toBeGreaterThan(0);
  });

  it("records the text model in every playlist and its contribution in the items", async () => {
    const [text] = await t.db.query<{ id: number }>(`SELECT id FROM model_versions WHERE kind = 'TEXT' AND is_active`);
    const playlists = await t.db.query<{ versions: Record<string, number> }>(
      `SELECT model_versions AS versions FROM weekly_playlists WHERE status = 'COMPLETE'`,
    );
    expect(playlists.length).toBeGreaterThan(0);
    for (const p of playlists) expect(p.versions.TEXT).toBe(text.id);
    const [{ withText }] = await t.db.query<{ withText: number }>(`SELECT count(*)::int AS "withText" FROM playlist_items WHERE (scores->>'text')::float <> 0`);
    expect(withText).toBeGreaterThan(0);
  });

  it("gives a listener with no history a cold-start playlist from the artists they picked", async () => {
    const cold = await t.db.query<{ id: number; seeds: number }>(
      `SELECT u.id, (SELECT count(*) FROM user_seed_artists s WHERE s.user_id = u.id)::int AS seeds FROM users u
       WHERE NOT EXISTS (SELECT 1 FROM user_track_stats s WHERE s.user_id = u.id) ORDER BY u.id LIMIT 1`,
    );
    expect(cold.length).toBe(1);
    const [playlist] = await t.db.query<{ status: string; reasons: string[] }>(
      `SELECT p.status, array_agg(i.reason) AS reasons FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id WHERE p.user_id = $1 GROUP BY p.status`,
      [cold[0].id],
    );
    expect(playlist.status).toBe("COLD_START");
    if (cold[0].seeds > 0) expect(playlist.reasons.some((r) => r.includes("when you joined"))).toBe(true);
  });

  it("previews unsaved weights without storing anything, and the weights change the list", async () => {
    const [{ id: userId }] = await t.db.query<{ id: number }>(`SELECT user_id AS id FROM user_track_stats GROUP BY user_id ORDER BY count(*) DESC LIMIT 1`);
    const before = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM playlist_items`);
    const cf = await previewPlaylist(t.db, { userId, weights: { ...defaultBlendWeights, popularity: 0, novelty: 0 }, constraints: defaultBlendConstraints });
    const popular = await previewPlaylist(t.db, {
      userId,
      weights: { collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 1, novelty: 0 },
      constraints: defaultBlendConstraints,
    });
    expect(cf.items).toHaveLength(30);
    expect(popular.items).toHaveLength(30);
    expect(cf.items.map((i) => i.trackId)).not.toEqual(popular.items.map((i) => i.trackId));
    expect(popular.items[0].scores.collaborative).toBe(0);
    const capped = await previewPlaylist(t.db, { userId, weights: defaultBlendWeights, constraints: { ...defaultBlendConstraints, artistCap: 1 } });
    const artists = await t.db.query<{ artist_id: number }>(`SELECT artist_id FROM tracks WHERE id = ANY($1::int[])`, [capped.items.map((i) => i.trackId)]);
    expect(new Set(artists.map((a) => a.artist_id)).size).toBe(capped.items.length);
    await expect(previewPlaylist(t.db, { userId, weights: { ...defaultBlendWeights, text: -1 }, constraints: defaultBlendConstraints })).rejects.toThrow(
      "weights.text must be a number 0..10, got -1",
    );
    expect(await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM playlist_items`)).toEqual(before);
  });
});

const skipPostgres = await postgresUnavailable();

describe.skipIf(skipPostgres !== null)(`the items snapshot written at generation on PostgreSQL${skipPostgres ? ` (${skipPostgres})` : ""}`, () => {
  let p: TestDatabase;
  beforeAll(async () => {
    p = await createTestDatabase("postgres");
    const world = generateWorld({ seed: 11, listeners: 40, artists: 20, tracks: 200, events: 3_000, now: new Date("2026-11-25T00:00:00Z") });
    await loadDemoWorld(p.db, world);
    await trainModels(p.db, ["popularity", "als"], { threads: 1, progress: quietBar });
    await awkwardCatalogue(p.db);
  }, 120_000);
  afterAll(async () => {
    await p?.drop();
  });

  it("inserts each playlist with the items snapshot the SQL functions would build for it", async () => {
    expect((await generateDuePlaylists(p.db, { now, batchSize: 15 })).made).toBe(40);
    await expectSnapshotsAsInSql(p.db, 40);
  });
});

/**
 * Titles with quotes, a backslash and characters outside ASCII, tracks without a release date or
 * genre and one with a date, artists without a genre: what the snapshot's JSON must carry as
 * `playlist_item_rows` reads it.
 */
async function awkwardCatalogue(db: Database): Promise<void> {
  await db.query(`UPDATE tracks SET title = title || ' "live" \\ ½ 🎵', release_date = NULL, genre = NULL WHERE id % 3 = 0`);
  await db.query(`UPDATE tracks SET release_date = DATE '1999-12-31' WHERE id % 3 = 1`);
  await db.query(`UPDATE artists SET genre = NULL WHERE id % 4 = 0`);
}

/**
 * Every stored playlist's items snapshot (built by the generation) against the JSON that
 * `playlist_items_snapshots` builds from the written rows: the same keys in the same order, the
 * same value types and values (`[]` for a playlist without items, as `write_playlist_snapshots`
 * writes it), compared as parsed values written out again and, in SQL, as jsonb.
 */
async function expectSnapshotsAsInSql(db: Database, playlists: number): Promise<void> {
  const stored = await db.query<{ id: number; items: unknown[] | null }>(`SELECT id, items_snapshot AS items FROM weekly_playlists ORDER BY id`);
  expect(stored).toHaveLength(playlists);
  const ids = stored.map((r) => r.id);
  const built = await db.query<{ playlistId: number; items: unknown[] }>(`SELECT * FROM playlist_items_snapshots($1::int[])`, [ids]);
  const builtOf = new Map(built.map((r) => [r.playlistId, r.items]));
  expect(builtOf.size).toBeGreaterThan(playlists / 2);
  for (const r of stored) {
    expect(r.items, `playlist ${r.id}`).not.toBeNull();
    expect(JSON.stringify(r.items), `playlist ${r.id}`).toBe(JSON.stringify(builtOf.get(r.id) ?? []));
  }
  const [{ differ }] = await db.query<{ differ: number }>(
    `SELECT count(*)::int AS differ FROM weekly_playlists p LEFT JOIN playlist_items_snapshots($1::int[]) s ON s."playlistId" = p.id
     WHERE p.id = ANY($1::int[]) AND p.items_snapshot::jsonb IS DISTINCT FROM coalesce(s.items, '[]'::json)::jsonb`,
    [ids],
  );
  expect(differ).toBe(0);
  // The awkward fields reached the snapshots.
  const items = stored.flatMap((r) => r.items as { title: string; releaseDate: string | null; propensity: number | null }[]);
  expect(items.some((i) => i.title.endsWith(' "live" \\ ½ 🎵'))).toBe(true);
  expect(items.some((i) => i.releaseDate === "1999-12-31")).toBe(true);
  expect(items.some((i) => i.releaseDate === null)).toBe(true);
}
