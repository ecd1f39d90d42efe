import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

// user_track_stats and user_artist_stats check their listener, track and artist once per
// statement (triggers of migration 20261206200000_bulk_reference_checks) instead of per row
// with foreign keys: these cases hold them to what the foreign keys guaranteed.
const skipPostgres = await postgresUnavailable();

describe.each<Target>(["embedded", "postgres"])("aggregate reference checks per statement on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let user: number, artist: number, track: number;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    user = [...(await upsertUsers(t.db.query, [{ externalKey: "ref-u1", name: "ref-u1", timeZone: "UTC" }])).values()][0];
    artist = [...(await upsertArtists(t.db.query, [{ externalKey: "ref-a1", name: "ref-a1" }])).values()][0];
    track = [...(await upsertTracks(t.db.query, [{ externalKey: "ref-t1", title: "ref-t1", artistId: artist, durationMs: 1000 }])).values()][0];
  });
  afterAll(async () => {
    await t?.drop();
  });
  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  it.skipIf(skip)("a statement naming a missing listener, track or artist fails and writes nothing, however many rows are fine", async () => {
    const trackRows = (users: number[], tracks: number[]) =>
      t.db.query(`INSERT INTO user_track_stats (user_id, track_id, streams, last_at) SELECT u, tr, 1, now() FROM unnest($1::int[], $2::int[]) AS x(u, tr)`, [
        users,
        tracks,
      ]);
    await expect(trackRows([user, user + 1000], [track, track])).rejects.toThrow(/user_track_stats.*"users".*user_id=\d+ does not exist/);
    await expect(trackRows([user], [track + 1000])).rejects.toThrow(/"tracks".*track_id=\d+ does not exist/);
    await expect(
      t.db.query(`INSERT INTO user_artist_stats (user_id, artist_id, plays, last_at) VALUES ($1, $2, 1, now())`, [user, artist + 1000]),
    ).rejects.toThrow(/"artists".*artist_id=\d+ does not exist/);
    expect(await count("user_track_stats")).toBe(0);
    expect(await count("user_artist_stats")).toBe(0);
    await trackRows([user], [track]);
    // An update that moves a row onto a missing listener is refused too.
    await expect(t.db.query(`UPDATE user_track_stats SET user_id = user_id + 1000`)).rejects.toThrow(/does not exist/);
    expect(await count("user_track_stats")).toBe(1);
  });

  it.skipIf(skip)("a listener, track or artist still named in the aggregates cannot be deleted; once they are gone it can", async () => {
    // An artist of no track, so only the aggregate names it.
    const visited = [...(await upsertArtists(t.db.query, [{ externalKey: "ref-a2", name: "ref-a2" }])).values()][0];
    await t.db.query(`INSERT INTO user_artist_stats (user_id, artist_id, visits, last_at) VALUES ($1, $2, 1, now())`, [user, visited]);
    await expect(t.db.query(`DELETE FROM users WHERE id = $1`, [user])).rejects.toThrow(/"users".*"user_track_stats".*still referenced/);
    await expect(t.db.query(`DELETE FROM tracks WHERE id = $1`, [track])).rejects.toThrow(/"tracks".*still referenced/);
    await t.db.query(`DELETE FROM user_track_stats`);
    await expect(t.db.query(`DELETE FROM artists WHERE id = $1`, [visited])).rejects.toThrow(/"artists".*"user_artist_stats".*still referenced/);
    await t.db.query(`DELETE FROM user_artist_stats`);
    await t.db.query(`DELETE FROM users WHERE id = $1`, [user]);
    await t.db.query(`DELETE FROM artists WHERE id = $1`, [visited]);
    expect(await count("users")).toBe(0);
  });
});

// playlist_items checks its playlist and track per statement too (migration
// 20261209000000_playlist_item_reference_checks): a foreign key's guarantees, the cascade included.
describe.each<Target>(["embedded", "postgres"])("playlist item reference checks per statement on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let user: number, tracks: number[];
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    user = [...(await upsertUsers(t.db.query, [{ externalKey: "item-u1", name: "item-u1", timeZone: "UTC" }])).values()][0];
    const artist = [...(await upsertArtists(t.db.query, [{ externalKey: "item-a1", name: "item-a1" }])).values()][0];
    tracks = [
      ...(
        await upsertTracks(t.db.query, [
          { externalKey: "item-t1", title: "item-t1", artistId: artist, durationMs: 1000 },
          { externalKey: "item-t2", title: "item-t2", artistId: artist, durationMs: 1000 },
        ])
      ).values(),
    ];
  });
  afterAll(async () => {
    await t?.drop();
  });
  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const playlist = async (week: string) =>
    (
      await t.db.query<{ id: number }>(
        `INSERT INTO weekly_playlists (user_id, week_start, status, model_versions) VALUES ($1, $2::date, 'COMPLETE', '{}') RETURNING id`,
        [user, week],
      )
    )[0].id;
  const items = (playlistIds: number[], trackIds: number[]) =>
    t.db.query(
      `INSERT INTO playlist_items (playlist_id, position, track_id, score, scores, reason)
       SELECT p, n - 1, tr, 1, '{}', 'r' FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS x(p, tr, n)`,
      [playlistIds, trackIds],
    );

  it.skipIf(skip)("items naming a missing playlist or track fail and write nothing, however many rows are fine", async () => {
    const p = await playlist("2026-11-30");
    await expect(items([p, p + 1000], [tracks[0], tracks[1]])).rejects.toThrow(/playlist_items.*"weekly_playlists".*playlist_id=\d+ does not exist/);
    await expect(items([p, p], [tracks[0], tracks[1] + 1000])).rejects.toThrow(/playlist_items.*"tracks".*track_id=\d+ does not exist/);
    expect(await count("playlist_items")).toBe(0);
    await items([p, p], tracks);
    await expect(t.db.query(`UPDATE playlist_items SET track_id = track_id + 1000`)).rejects.toThrow(/"tracks".*does not exist/);
    expect(await count("playlist_items")).toBe(2);
  });

  it.skipIf(skip)("a served track cannot be deleted; deleting playlists deletes their items and no others", async () => {
    await expect(t.db.query(`DELETE FROM tracks WHERE id = $1`, [tracks[0]])).rejects.toThrow(/"tracks".*"playlist_items".*still referenced/);
    const second = await playlist("2026-12-07");
    await items([second], [tracks[1]]);
    const [first] = await t.db.query<{ id: number }>(`SELECT id FROM weekly_playlists WHERE week_start = '2026-11-30'`);
    await t.db.query(`DELETE FROM weekly_playlists WHERE id = $1`, [first.id]);
    expect(await t.db.query(`SELECT playlist_id, track_id FROM playlist_items`)).toEqual([{ playlist_id: second, track_id: tracks[1] }]);
    await items([await playlist("2026-12-14")], [tracks[1]]);
    // Several playlists in one statement: one trigger call deletes all their items.
    await t.db.query(`DELETE FROM weekly_playlists WHERE user_id = $1`, [user]);
    expect(await count("weekly_playlists")).toBe(0);
    expect(await count("playlist_items")).toBe(0);
    await t.db.query(`DELETE FROM tracks WHERE id = $1`, [tracks[0]]);
    expect(await count("tracks")).toBe(1);
  });
});

describe.skipIf(skipPostgres !== null)("aggregate reference checks under concurrency on postgres", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await t?.drop();
  });

  /**
   * Runs `write` in a transaction and, once it has written, `deleteSql` for `id` beside it; lets
   * the writer commit after 500 ms. Says whether the delete was still waiting then, and its error.
   */
  async function deleteWhileWriting(write: (query: TestDatabase["db"]["query"]) => Promise<void>, deleteSql: string, id: number) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const writer = t.db.transaction(async (query) => {
      await write(query);
      written();
      await gate;
    });
    await wrote;
    let settled = false;
    const deletion = t.db.query(deleteSql, [id]).finally(() => (settled = true));
    deletion.catch(() => {}); // reported below
    await new Promise((resolve) => setTimeout(resolve, 500));
    const waited = !settled;
    release();
    await writer;
    const error = await deletion.then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    return { waited, error };
  }

  it("a listener's delete waits for a transaction writing their aggregates, then fails, as with a foreign key", async () => {
    const user = [...(await upsertUsers(t.db.query, [{ externalKey: "ref-c1", name: "ref-c1", timeZone: "UTC" }])).values()][0];
    const artist = [...(await upsertArtists(t.db.query, [{ externalKey: "ref-ca", name: "ref-ca" }])).values()][0];
    const deletion = await deleteWhileWriting(
      async (query) => {
        await query(`INSERT INTO user_artist_stats (user_id, artist_id, plays, last_at) VALUES ($1, $2, 1, now())`, [user, artist]);
      },
      `DELETE FROM users WHERE id = $1`,
      user,
    );
    expect(deletion.waited).toBe(true); // on the writer's FOR KEY SHARE lock
    expect(deletion.error).toMatch(/still referenced/);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_artist_stats WHERE user_id = $1`, [user]))[0].n).toBe(1);
  });

  it("a track's delete waits for a transaction serving it in a playlist, then fails, as with a foreign key", async () => {
    const user = [...(await upsertUsers(t.db.query, [{ externalKey: "item-c1", name: "item-c1", timeZone: "UTC" }])).values()][0];
    const artist = [...(await upsertArtists(t.db.query, [{ externalKey: "item-ca", name: "item-ca" }])).values()][0];
    const track = [...(await upsertTracks(t.db.query, [{ externalKey: "item-ct", title: "item-ct", artistId: artist, durationMs: 1000 }])).values()][0];
    const deletion = await deleteWhileWriting(
      async (query) => {
        const [p] = await query<{ id: number }>(
          `INSERT INTO weekly_playlists (user_id, week_start, status, model_versions) VALUES ($1, '2026-12-07', 'COMPLETE', '{}') RETURNING id`,
          [user],
        );
        await query(`INSERT INTO playlist_items (playlist_id, position, track_id, score, scores, reason) VALUES ($1, 0, $2, 1, '{}', 'r')`, [p.id, track]);
      },
      `DELETE FROM tracks WHERE id = $1`,
      track,
    );
    expect(deletion.waited).toBe(true); // on the writer's FOR KEY SHARE lock
    expect(deletion.error).toMatch(/"tracks".*"playlist_items".*still referenced/);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM playlist_items WHERE track_id = $1`, [track]))[0].n).toBe(1);
  });
});
