import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENT_KINDS, EVENT_MEANING } from "@deepcuts/engine/events/kinds.ts";
import { insertArtistPlays, insertEvents, upsertArtists, upsertTracks, upsertUsers, type EventRow } from "@deepcuts/engine/ingest.ts";
import { loadInteractions } from "@deepcuts/engine/training/interactions.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

// What each event kind adds to the aggregates (events/kinds.ts), checked on the database, and
// the level loadInteractions reads at: asked for, or chosen and said.
describe("event meaning and interaction level", () => {
  let t: TestDatabase;
  let user: number, other: number, track: number, artist: number;

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    const users = await upsertUsers(t.db.query, [
      { externalKey: "m-u1", name: "one" },
      { externalKey: "m-u2", name: "two" },
    ]);
    [user, other] = [users.get("m-u1")!, users.get("m-u2")!];
    artist = (await upsertArtists(t.db.query, [{ externalKey: "m-a", name: "Meaning Artist" }])).get("m-a")!;
    track = (await upsertTracks(t.db.query, [{ externalKey: "m-t", title: "Meaning Song", artistId: artist, durationMs: 200_000 }])).get("m-t")!;
  });
  afterAll(() => t?.drop());

  it("adds each kind to the counters its meaning names", async () => {
    const at = new Date("2026-06-01T00:00:00Z");
    // One event of every kind about the track, and an artist-only dislike from the other listener.
    const rows: EventRow[] = EVENT_KINDS.map((kind, i) => ({
      userId: user,
      eventId: `k-${i}`,
      kind,
      trackId: kind === "ARTIST_VISIT" ? null : track,
      artistId: kind === "ARTIST_VISIT" ? artist : null,
      occurredAt: at,
      msPlayed: kind === "STREAM" ? 90_000 : null,
    }));
    rows.push({ userId: other, eventId: "k-artist-dislike", kind: "DISLIKE", trackId: null, artistId: artist, occurredAt: at });
    expect(await insertEvents(t.db.query, rows)).toBe(rows.length);
    const [s] = await t.db.query<Record<string, number>>(
      `SELECT streams, saves, skips, dislikes, ms_played::int AS ms FROM user_track_stats WHERE user_id = $1 AND track_id = $2`,
      [user, track],
    );
    const expected = (counter: string) => EVENT_KINDS.filter((k) => EVENT_MEANING[k].trackCounter === counter).length;
    expect(s).toEqual({ streams: expected("streams"), saves: expected("saves"), skips: expected("skips"), dislikes: expected("dislikes"), ms: 90_000 });
    expect(s.saves).toBe(2); // SAVE and PLAYLIST_ADD
    const artistRows = await t.db.query<{ user_id: number; plays: number; visits: number; dislikes: number }>(
      `SELECT user_id, plays, visits, dislikes FROM user_artist_stats WHERE artist_id = $1 ORDER BY user_id`,
      [artist],
    );
    // A disliked song does not mark its artist; a dislike of the artist does.
    expect(artistRows).toEqual([
      { user_id: user, plays: 1, visits: 1, dislikes: 0 },
      { user_id: other, plays: 0, visits: 0, dislikes: 1 },
    ]);
  });

  it("reads tracks by default when there are tracks, artists when asked, and says which", async () => {
    const auto = await loadInteractions(t.db);
    expect(auto.level).toBe("track");
    expect(auto.levelReason).toBe("auto: the database has tracks (1)");
    expect(auto.items.ids).toEqual([track]);
    const asked = await loadInteractions(t.db, { level: "artist" });
    expect(asked.level).toBe("artist");
    expect(asked.levelReason).toBe("level artist was asked for");
    expect(asked.negatives).toBeNull();
    // Listener 1 played the artist once (one STREAM); listener 2 never played it.
    expect(Array.from(asked.userItems.indptr)).toEqual([0, 1, 1]);
  });

  it("falls back to artist-level play counts only when there are no tracks, and says so", async () => {
    const empty = await createTestDatabase("embedded");
    try {
      const u = (await upsertUsers(empty.db.query, [{ externalKey: "l-u", name: "u" }])).get("l-u")!;
      const a = (await upsertArtists(empty.db.query, [{ externalKey: "l-a", name: "a" }])).get("l-a")!;
      await insertArtistPlays(empty.db.query, [{ userId: u, artistId: a, plays: 12 }], new Date("2026-06-01T00:00:00Z"));
      const auto = await loadInteractions(empty.db);
      expect(auto.level).toBe("artist");
      expect(auto.levelReason).toBe("auto: the database has no tracks, so listener x artist play counts");
      expect(Array.from(auto.userItems.data)).toEqual([12]);
      const tracks = await loadInteractions(empty.db, { level: "track" });
      expect(tracks.level).toBe("track");
      expect(tracks.userItems.indptr[tracks.userItems.rows]).toBe(0);
    } finally {
      await empty.drop();
    }
  });
});
