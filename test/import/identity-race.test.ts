import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importLastfmScrobbles } from "@deepcuts/engine/importers/lastfm-scrobbles.ts";
import { importSpotifyHistory } from "@deepcuts/engine/importers/spotify.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of identity-race.test.ts: ${skipPostgres}`);
const dir = mkdtempSync(join(tmpdir(), "deepcuts-identity-race-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

// One song as two services name it: Spotify by its track URI, Last.fm by MusicBrainz ids.
const SONG = {
  artist: "The Cure",
  title: "Just Like Heaven",
  uri: "spotify:track:0aAbBcCdDeEfFgGhHiIjJk",
  mbid: "11111111-2222-4333-8444-555555555501",
  artistMbid: "aaaaaaaa-2222-4333-8444-555555555501",
};
// The song first, then songs of this listener alone: the import goes on well after it looked the
// song up, as a real history's does.
const FILLER = 3000;
const minute = (i: number) => new Date(Date.UTC(2026, 9, 1, 8) + i * 60_000);
const spotifyEntry = (i: number, title: string, artist: string, uri: string | null) => ({
  ts: minute(i).toISOString(),
  platform: "linux",
  ms_played: 212_000,
  master_metadata_track_name: title,
  master_metadata_album_artist_name: artist,
  master_metadata_album_album_name: null,
  spotify_track_uri: uri,
  reason_start: "trackdone",
  reason_end: "trackdone",
  shuffle: false,
  skipped: false,
  offline: false,
  incognito_mode: false,
});
const spotify = (n: number) =>
  file(
    `Streaming_History_Audio_2026_${n}.json`,
    JSON.stringify([
      spotifyEntry(0, SONG.title, SONG.artist, SONG.uri),
      ...Array.from({ length: FILLER }, (_, i) => spotifyEntry(i + 1, `Song ${i}`, `Band ${n}`, null)),
    ]),
  );
const scrobbles = (n: number) =>
  file(
    `scrobbles-${n}.csv`,
    [
      "uts,artist,artist_mbid,album,track,track_mbid",
      `${minute(0).getTime() / 1000},${SONG.artist},${SONG.artistMbid},,${SONG.title},${SONG.mbid}`,
      ...Array.from({ length: FILLER }, (_, i) => `${minute(i + 1).getTime() / 1000},Band ${n},,,Song ${i},`),
    ].join("\n"),
  );

describe.skipIf(skipPostgres !== null)("listening histories of several listeners imported at once on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await t?.drop();
  });

  // IMPORT jobs on several workers, each file one transaction: one at a time, the second finds
  // the first's artist and track by name and adds its ids to them; at once, neither saw the other's
  // uncommitted rows and each made its own.
  it("make one artist and one track of a song the histories name by different ids", async () => {
    const reports = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        n % 2 === 0
          ? importSpotifyHistory(t.db, spotify(n), { user: { externalKey: `l${n}` } })
          : importLastfmScrobbles(t.db, scrobbles(n), { user: { externalKey: `l${n}` } }),
      ),
    );
    expect(reports.every((r) => r.created.events === 1 + FILLER)).toBe(true);
    const [counts] = await t.db.query<{ artists: number; tracks: number; ids: number }>(
      `SELECT (SELECT count(*) FROM artists a JOIN tracks t ON t.artist_id = a.id WHERE t.title = $1)::int AS artists,
              (SELECT count(*) FROM tracks WHERE title = $1)::int AS tracks, (SELECT count(*) FROM track_external_ids)::int AS ids`,
      [SONG.title],
    );
    expect(counts).toEqual({ artists: 1, tracks: 1, ids: 2 });
  });
});
