import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import {
  itemsOfPlaylists,
  weeklyPlaylist,
  weeklyPlaylistsFor,
  writePlaylistSnapshots,
  type WeeklyPlaylistLookup,
} from "@deepcuts/engine/listener/playlists.ts";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import { createSharedLoaders } from "../../apps/api/src/graphql/loaders.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();

// Sunday 2026-11-29 10:00 UTC: already Monday 2026-11-30 in Kiritimati (UTC+14), still Saturday
// at UTC-12 and Sunday in UTC, so the listeners' "this week" differs by time zone.
const NOW = new Date("2026-11-29T10:00:00Z");
const ZONES = { "Pacific/Kiritimati": "2026-11-30", "Etc/GMT+12": "2026-11-23", UTC: "2026-11-23", "Asia/Tokyo": "2026-11-23" } as const;

describe.each<Target>(["embedded", "postgres"])("the weekly playlist read on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  const why = skip ? ` (${skipPostgres})` : "";
  let t: TestDatabase;
  const userOf = new Map<string, number>();
  const playlistOf = new Map<string, number>();

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    const q = t.db.query;
    const zones = Object.keys(ZONES);
    const users = await upsertUsers(
      q,
      zones.map((zone, i) => ({ externalKey: `u${i}`, name: `Listener ${i}`, timeZone: zone })),
    );
    const artists = await upsertArtists(q, [
      { externalKey: "a0", name: "Artist 0", genre: "folk" },
      { externalKey: "a1", name: "Artist 1", genre: null },
    ]);
    const tracks = await upsertTracks(
      q,
      Array.from({ length: 6 }, (_, i) => ({
        externalKey: `t${i}`,
        title: `Song ${i}`,
        artistId: artists.get(`a${i % 2}`)!,
        durationMs: 200_000 + i,
        genre: i % 3 === 0 ? null : "folk",
        ...(i === 1 ? { releaseDate: new Date("2001-02-03T00:00:00Z") } : {}),
      })),
    );
    for (const [i, zone] of zones.entries()) {
      userOf.set(zone, users.get(`u${i}`)!);
      // Both candidate weeks hold a playlist, with different tracks, so picking the wrong one shows.
      for (const [w, week] of ["2026-11-23", "2026-11-30"].entries()) {
        const [pl] = await q<{ id: number }>(
          `INSERT INTO weekly_playlists (user_id, week_start, status, model_versions) VALUES ($1, $2::date, 'COMPLETE', '{}') RETURNING id`,
          [users.get(`u${i}`)!, week],
        );
        playlistOf.set(`${zone} ${week}`, pl.id);
        await q(
          `INSERT INTO playlist_items (playlist_id, position, track_id, score, scores, reason, blend_version, rank, explored, propensity)
           SELECT $1, p, t, 0.1 * (p + 1) / 3, jsonb_build_object('collaborative', 0.125 * p, 'text', 1.0 / 3), 'because ' || p, $3, p + 1, p = 2, CASE WHEN p = 2 THEN 0.3 END
           FROM (SELECT t, (n - 1)::int AS p FROM unnest($2::int[]) WITH ORDINALITY AS x(t, n)) s`,
          [pl.id, [0, 1, 2].map((k) => tracks.get(`t${(k + 3 * w) % 6}`)!), w === 0 ? null : 4],
        );
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)(`picks each listener's own week, with items equal to the batched read's${why}`, async () => {
    for (const [zone, week] of Object.entries(ZONES)) {
      const playlist = await weeklyPlaylist(t.db, userOf.get(zone)!, null, NOW);
      expect(playlist, zone).not.toBeNull();
      expect(playlist!.weekStart, zone).toBe(week);
      expect(playlist!.id).toBe(playlistOf.get(`${zone} ${week}`));
      expect(playlist!.userId).toBe(userOf.get(zone));
      expect(playlist!.status).toBe("COMPLETE");
      expect(playlist!.generatedAt).toBeInstanceOf(Date);
      // The one-query read (JSON) and the loaders' row-per-item read give the same records.
      const [batched] = await itemsOfPlaylists(t.db, [playlist!.id]);
      expect(playlist!.items).toHaveLength(3);
      expect(playlist!.items).toEqual(batched);
    }
    const kiritimati = await weeklyPlaylist(t.db, userOf.get("Pacific/Kiritimati")!, null, NOW);
    expect(kiritimati!.items.map((i) => i.position)).toEqual([0, 1, 2]);
    expect(kiritimati!.items[2]).toMatchObject({ explored: true, propensity: 0.3, blendVersion: 4, rank: 3 });
  });

  it.skipIf(skip)(`reads a given week, and answers null where none was made${why}`, async () => {
    const utc = userOf.get("UTC")!;
    expect((await weeklyPlaylist(t.db, utc, "2026-11-30", NOW))!.id).toBe(playlistOf.get("UTC 2026-11-30"));
    expect(await weeklyPlaylist(t.db, utc, "2026-11-16", NOW)).toBeNull();
    expect(await weeklyPlaylist(t.db, 999_999, "2026-11-30", NOW)).toBeNull();
    // A week later nobody has a playlist yet.
    expect(await weeklyPlaylist(t.db, utc, null, new Date("2026-12-09T12:00:00Z"))).toBeNull();
  });

  it.skipIf(skip)(`reads many listeners' playlists in one statement, each answer its own lookup's${why}`, async () => {
    // Each listener by zone and by given week, a week with none, an unknown listener with a week
    // (null) and without (its own error), a week that is not a Monday (its own error).
    const lookups: WeeklyPlaylistLookup[] = [];
    for (const zone of Object.keys(ZONES)) for (const weekStart of [null, "2026-11-23", "2026-11-30"]) lookups.push({ userId: userOf.get(zone)!, weekStart });
    lookups.push({ userId: userOf.get("UTC")!, weekStart: "2026-11-16" }, { userId: 999_999, weekStart: "2026-11-30" });
    lookups.push({ userId: 999_999, weekStart: null }, { userId: userOf.get("UTC")!, weekStart: "2026-11-24" });
    lookups.reverse();
    const alone = await Promise.all(lookups.map(({ userId, weekStart }) => weeklyPlaylist(t.db, userId, weekStart, NOW).catch((e: unknown) => e as Error)));
    // The same database with its statements counted.
    let statements = 0;
    const counted: typeof t.db = { ...t.db, query: (...args: Parameters<typeof t.db.query>) => (statements++, t.db.query(...args)) };
    const together = await weeklyPlaylistsFor(counted, lookups, NOW);
    expect(statements).toBe(1);
    expect(together).toEqual(alone);
    expect(together.filter((a) => a === null)).toHaveLength(2);
    const errors = together.filter((a): a is Error => a instanceof Error).map((e) => e.message);
    expect(errors).toEqual([expect.stringMatching(/weekStart.*Monday/), expect.stringMatching(/listener 999999/)]);
    together.forEach((a, i) => a && !(a instanceof Error) && expect(a.userId).toBe(lookups[i].userId));
  });

  it.skipIf(skip)(`batches concurrent requests' reads in the API's shared loader, at most 8 a statement${why}`, async () => {
    let statements = 0;
    const counted: typeof t.db = { ...t.db, query: (...args: Parameters<typeof t.db.query>) => (statements++, t.db.query(...args)) };
    const shared = createSharedLoaders(counted);
    const users = [...userOf.values()];
    const lookups = Array.from({ length: 20 }, (_, i) => ({ userId: users[i % users.length], weekStart: i % 2 ? "2026-11-30" : "2026-11-23" }));
    const answers = await Promise.all(lookups.map((l) => shared.weeklyPlaylist.load(l)));
    expect(statements).toBe(3);
    expect(answers.map((a) => a?.id)).toEqual(lookups.map((l) => playlistOf.get(`${[...userOf].find(([, id]) => id === l.userId)![0]} ${l.weekStart}`)));
    // Nothing is cached: the same lookups again go to the database again.
    await Promise.all(lookups.map((l) => shared.weeklyPlaylist.load(l)));
    expect(statements).toBe(6);
  });

  it.skipIf(skip)(`reads the snapshot written at generation, rewritten when a track or artist in it changes${why}`, async () => {
    const q = t.db.query;
    const utc = userOf.get("UTC")!;
    const id = playlistOf.get("UTC 2026-11-23")!;
    // The stored rows' titles, in order (null: no snapshot).
    const snapshot = async () =>
      (await q<{ s: { title: string }[] | null }>(`SELECT items_snapshot AS s FROM weekly_playlists WHERE id = $1`, [id]))[0].s?.map((r) => r.title) ?? null;
    expect(await snapshot()).toBeNull();
    const live = await weeklyPlaylist(t.db, utc, null, NOW);
    await writePlaylistSnapshots(q, [id]);
    expect(await snapshot()).toEqual(live!.items.map((i) => i.track.title));
    expect(await weeklyPlaylist(t.db, utc, null, NOW)).toEqual(live);
    // Only this playlist was written: another listener's is still read live.
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM weekly_playlists WHERE items_snapshot IS NOT NULL`))[0].n).toBe(1);

    const [item] = live!.items;
    await q(`UPDATE tracks SET title = 'Renamed song', duration_ms = 123456 WHERE id = $1`, [item.trackId]);
    await q(`UPDATE artists SET name = 'Renamed artist' WHERE id = $1`, [item.artist.id]);
    // A change to a field the snapshot does not hold leaves it alone.
    await q(`UPDATE tracks SET audio_path = 'x.mp3' WHERE id = $1`, [item.trackId]);
    const renamed = (await weeklyPlaylist(t.db, utc, null, NOW))!;
    expect(renamed.items[0]).toMatchObject({ durationMs: 123456, track: { title: "Renamed song", durationMs: 123456 }, artist: { name: "Renamed artist" } });
    expect(renamed.items.filter((i) => i.artist.id === item.artist.id).every((i) => i.artist.name === "Renamed artist")).toBe(true);
    expect(await snapshot()).toEqual(renamed.items.map((i) => i.track.title));
    expect(renamed.items).toEqual((await itemsOfPlaylists(t.db, [id]))[0]);
  });

  it.skipIf(skip)(`names the listener or the week that is wrong${why}`, async () => {
    await expect(weeklyPlaylist(t.db, 999_999, null, NOW)).rejects.toThrow(ServiceError);
    await expect(weeklyPlaylist(t.db, 999_999, null, NOW)).rejects.toThrow(/listener 999999/);
    await expect(weeklyPlaylist(t.db, userOf.get("UTC")!, "2026-11-24", NOW)).rejects.toThrow(/weekStart.*Monday/);
  });
});
