import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { insertingCopyRows, type Database } from "@deepcuts/db";
import { writeWeeklyPlaylists, type PlaylistToWrite } from "@deepcuts/engine/weekly/generate.ts";
import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

/**
 * A weekly generation reads the tracks for its playlists' snapshots and inserts them in one
 * transaction; a rename rewrites the snapshots that hold its track. Each must see the other, in
 * whatever order they run (migration 20261208000000_playlist_snapshot_rename_lock): the rename's
 * rewrite runs at its commit under an advisory lock that the generation holds shared. These cases
 * drive the generation's own write (writeWeeklyPlaylists) on separate connections.
 */
const skipPostgres = await postgresUnavailable();
const WEEK = "2026-11-30";
// How long a step that should wait is given to finish anyway.
const WAIT_MS = 200;

let seq = 0;

/** A listener and one track per title, each by its own artist, in autocommit. */
async function seed(db: Database, titles: string[]): Promise<{ n: number; userId: number; trackIds: number[]; artistIds: number[]; blendId: number }> {
  const n = ++seq;
  const [user] = await db.query<{ id: number }>(`INSERT INTO users (external_key, name, time_zone) VALUES ($1, $1, 'UTC') RETURNING id`, [`u${n}`]);
  const [blend] = await db.query<{ id: number }>(
    `INSERT INTO blend_configs (version, weights, constraints, author) VALUES ($1, '{}', '{}', 'test') RETURNING id`,
    [n],
  );
  const artistIds: number[] = [];
  const trackIds: number[] = [];
  for (const [i, title] of titles.entries()) {
    const [artist] = await db.query<{ id: number }>(`INSERT INTO artists (external_key, name) VALUES ($1, $1) RETURNING id`, [`a${n}-${i}`]);
    const [track] = await db.query<{ id: number }>(
      `INSERT INTO tracks (external_key, title, artist_id, duration_ms) VALUES ($1, $2, $3, 200000) RETURNING id`,
      [`t${n}-${i}`, title, artist.id],
    );
    artistIds.push(artist.id);
    trackIds.push(track.id);
  }
  return { n, userId: user.id, trackIds, artistIds, blendId: blend.id };
}

/** The playlist the generation would write for `userId` with these tracks. */
function playlist(userId: number, blendId: number, trackIds: number[]): PlaylistToWrite {
  const scores = Object.fromEntries(BLEND_SOURCES.map((s) => [s, 0.25])) as PlaylistToWrite["effectiveWeights"];
  return {
    userId,
    week: WEEK,
    status: "COMPLETE",
    blendId,
    exposure: null,
    effectiveWeights: scores,
    items: trackIds.map((trackId, i) => ({
      trackId,
      score: 1 - i / 10,
      scores,
      reason: "because you played similar artists",
      rank: i + 1,
      explored: false,
      propensity: 1,
      blendVersion: 1,
      arm: null,
    })),
  };
}

/** The titles, keys and artist names in the stored snapshot of the listener's playlist. */
async function snapshot(db: Database, userId: number) {
  const [row] = await db.query<{ s: { title: string; tKey: string; aName: string }[] | null }>(
    `SELECT items_snapshot AS s FROM weekly_playlists WHERE user_id = $1 AND week_start = $2`,
    [userId, WEEK],
  );
  return row.s!.map((i) => ({ title: i.title, tKey: i.tKey, aName: i.aName }));
}

/** True when `p` settles within `ms`. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}

/** True once a connection waits for an advisory lock (polled for at most `ms`). */
async function someoneWaitsForAdvisoryLock(db: Database, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (n > 0) return true;
  }
  return false;
}

describe("a rename committing while a weekly generation writes, on PostgreSQL", () => {
  const skip = skipPostgres !== null;
  const why = skip ? ` (${skipPostgres})` : "";
  let t: TestDatabase;
  const clients: pg.Client[] = [];

  /** A connection of its own, and the query function the engine takes, on it. */
  async function connection() {
    const client = new pg.Client({ connectionString: t.url! });
    await client.connect();
    clients.push(client);
    const query: Database["query"] = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
    // The items as one INSERT on this bare connection: these cases are about locks, not COPY.
    return { client, query, copyRows: insertingCopyRows(query) };
  }

  beforeAll(async () => {
    if (!skip) t = await createTestDatabase("postgres");
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => {});
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)(`a rename that commits after the generation read the old title waits for it, then rewrites its playlist${why}`, async () => {
    const { userId, trackIds, blendId } = await seed(t.db, ["Old title"]);
    const a = await connection();
    const b = await connection();
    await a.client.query("BEGIN");
    await writeWeeklyPlaylists(a.query, [playlist(userId, blendId, trackIds)], {}, a.copyRows);
    await b.client.query("BEGIN");
    await b.client.query(`UPDATE tracks SET title = 'New title' WHERE id = $1`, [trackIds[0]]);
    const renamed = b.client.query("COMMIT");
    const renameWaited = !(await settlesWithin(renamed, WAIT_MS));
    await a.client.query("COMMIT");
    await renamed;
    expect(await snapshot(t.db, userId)).toMatchObject([{ title: "New title" }]);
    // The rename's commit waited for the generation, which holds the lock shared.
    expect(renameWaited).toBe(true);
  });

  it.skipIf(skip)(`a generation that asks for the lock while a rename commits waits for it and reads the new title${why}`, async () => {
    const first = await seed(t.db, ["Old title"]);
    const second = await seed(t.db, []);
    const track = first.trackIds[0];
    // One generation is under way (it has read the old title): the rename's commit waits for it.
    const c = await connection();
    await c.client.query("BEGIN");
    await writeWeeklyPlaylists(c.query, [playlist(first.userId, first.blendId, [track])], {}, c.copyRows);
    const b = await connection();
    await b.client.query("BEGIN");
    await b.client.query(`UPDATE tracks SET title = 'New title' WHERE id = $1`, [track]);
    const renamed = b.client.query("COMMIT");
    const renameWaited = await someoneWaitsForAdvisoryLock(t.db, 10 * WAIT_MS);
    // Another generation, started while the rename commits, queues behind it for the lock.
    const a = await connection();
    await a.client.query("BEGIN");
    const written = writeWeeklyPlaylists(a.query, [playlist(second.userId, second.blendId, [track])], {}, a.copyRows);
    const writeWaited = !(await settlesWithin(written, WAIT_MS));
    await c.client.query("COMMIT");
    await renamed;
    await written;
    await a.client.query("COMMIT");
    expect(await snapshot(t.db, first.userId)).toMatchObject([{ title: "New title" }]);
    expect(await snapshot(t.db, second.userId)).toMatchObject([{ title: "New title" }]);
    expect({ renameWaited, writeWaited }).toEqual({ renameWaited: true, writeWaited: true });
  });

  it.skipIf(skip)(`a new external key that holds the track's row does not deadlock with a generation of that track${why}`, async () => {
    const { userId, trackIds, blendId } = await seed(t.db, ["Song"]);
    const b = await connection();
    await b.client.query("BEGIN");
    // A new key takes the row FOR UPDATE, which the items' foreign key check waits for.
    await b.client.query(`UPDATE tracks SET external_key = 'new-key' WHERE id = $1`, [trackIds[0]]);
    const a = await connection();
    await a.client.query("BEGIN");
    const written = writeWeeklyPlaylists(a.query, [playlist(userId, blendId, trackIds)], {}, a.copyRows);
    const writeWaited = !(await settlesWithin(written, WAIT_MS));
    // Had the generation taken the snapshot lock before waiting for the row, this commit would
    // wait for it in turn, and PostgreSQL would fail one of the two after deadlock_timeout.
    await b.client.query("COMMIT");
    await written;
    await a.client.query("COMMIT");
    expect(await snapshot(t.db, userId)).toMatchObject([{ tKey: "new-key" }]);
    expect(writeWaited).toBe(true);
  });

  it.skipIf(skip)(`two renames of tracks in one playlist at once both reach its snapshot${why}`, async () => {
    const { userId, trackIds, blendId } = await seed(t.db, ["First", "Second"]);
    await t.db.transaction((query, copyRows) => writeWeeklyPlaylists(query, [playlist(userId, blendId, trackIds)], {}, copyRows));
    const one = await connection();
    const two = await connection();
    await one.client.query("BEGIN");
    await one.client.query(`UPDATE tracks SET title = 'First renamed' WHERE id = $1`, [trackIds[0]]);
    await two.client.query("BEGIN");
    // Not awaited before the first commits: a rewrite inside the statement (before the fix) waits
    // for the first one's row lock on the playlist.
    const second = two.client.query(`UPDATE tracks SET title = 'Second renamed' WHERE id = $1`, [trackIds[1]]);
    await settlesWithin(second, WAIT_MS);
    await one.client.query("COMMIT");
    await second;
    await two.client.query("COMMIT");
    expect(await snapshot(t.db, userId)).toMatchObject([{ title: "First renamed" }, { title: "Second renamed" }]);
  });
});

describe.each<Target>(["embedded", "postgres"])("playlist snapshots rewritten at commit on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  const why = skip ? ` (${skipPostgres})` : "";

  it.skipIf(skip)(`a rename or a duration filled in rewrites the snapshots that hold it when its transaction commits${why}`, async () => {
    const t = await createTestDatabase(target);
    try {
      const { n, userId, trackIds, artistIds, blendId } = await seed(t.db, ["One", "Two"]);
      await t.db.transaction((query, copyRows) => writeWeeklyPlaylists(query, [playlist(userId, blendId, trackIds)], {}, copyRows));
      expect(await snapshot(t.db, userId)).toEqual([
        { title: "One", tKey: `t${n}-0`, aName: `a${n}-0` },
        { title: "Two", tKey: `t${n}-1`, aName: `a${n}-1` },
      ]);
      const inside = await t.db.transaction(async (query) => {
        await query(`UPDATE tracks SET title = 'One renamed' WHERE id = $1`, [trackIds[0]]);
        await query(`UPDATE artists SET name = 'Artist renamed' WHERE id = $1`, [artistIds[1]]);
        await query(`UPDATE tracks SET duration_ms = 123456 WHERE id = $1`, [trackIds[1]]);
        // A change to a field the snapshot does not show notes nothing.
        await query(`UPDATE tracks SET audio_path = 'x.mp3' WHERE id = $1`, [trackIds[0]]);
        // Inside the transaction the snapshot is as it was: it is rewritten at commit.
        return (await query<{ s: { title: string }[] }>(`SELECT items_snapshot AS s FROM weekly_playlists WHERE user_id = $1`, [userId]))[0].s;
      });
      expect(inside.map((i) => i.title)).toEqual(["One", "Two"]);
      expect(await snapshot(t.db, userId)).toEqual([
        { title: "One renamed", tKey: `t${n}-0`, aName: `a${n}-0` },
        { title: "Two", tKey: `t${n}-1`, aName: "Artist renamed" },
      ]);
      // The stored snapshot is what the SQL functions build from the rows.
      const [{ same }] = await t.db.query<{ same: boolean }>(
        `SELECT p.items_snapshot::text = s.items::text AS same FROM weekly_playlists p, playlist_items_snapshots(ARRAY[p.id]) s WHERE p.user_id = $1`,
        [userId],
      );
      expect(same).toBe(true);
    } finally {
      await t.drop();
    }
  });
});
