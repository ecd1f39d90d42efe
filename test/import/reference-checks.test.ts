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

describe.skipIf(skipPostgres !== null)("aggregate reference checks under concurrency on postgres", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("a listener's delete waits for a transaction writing their aggregates, then fails, as with a foreign key", async () => {
    const user = [...(await upsertUsers(t.db.query, [{ externalKey: "ref-c1", name: "ref-c1", timeZone: "UTC" }])).values()][0];
    const artist = [...(await upsertArtists(t.db.query, [{ externalKey: "ref-ca", name: "ref-ca" }])).values()][0];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const writer = t.db.transaction(async (query) => {
      await query(`INSERT INTO user_artist_stats (user_id, artist_id, plays, last_at) VALUES ($1, $2, 1, now())`, [user, artist]);
      written();
      await gate;
    });
    await wrote;
    let settled = false;
    const deletion = t.db.query(`DELETE FROM users WHERE id = $1`, [user]).finally(() => (settled = true));
    deletion.catch(() => {}); // asserted below
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false); // waiting on the writer's FOR KEY SHARE lock
    release();
    await writer;
    await expect(deletion).rejects.toThrow(/still referenced/);
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_artist_stats WHERE user_id = $1`, [user]))[0].n).toBe(1);
  });
});
