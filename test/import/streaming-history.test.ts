import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importLastfmScrobbles } from "@deepcuts/engine/importers/lastfm-scrobbles.ts";
import { importListenBrainz } from "@deepcuts/engine/importers/listenbrainz.ts";
import { importSpotifyHistory } from "@deepcuts/engine/importers/spotify.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

// Every fixture is written here from the field lists the services document (Spotify's "Understanding
// my data", Last.fm's export and user.getRecentTracks, ListenBrainz's export); nothing is anyone's data.
const skipPostgres = await postgresUnavailable();
const dir = mkdtempSync(join(tmpdir(), "deepcuts-history-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** A JSON array with one element per line: element i is on line i + 2. */
const jsonArray = (items: unknown[]) => `[\n${items.map((i) => JSON.stringify(i)).join(",\n")}\n]\n`;

const SONGS = {
  heaven: {
    artist: "The Cure",
    title: "Just Like Heaven",
    album: "Kiss Me, Kiss Me, Kiss Me",
    uri: "spotify:track:0aAbBcCdDeEfFgGhHiIjJk",
    mbid: "11111111-2222-4333-8444-555555555501",
    isrc: "GBAAA8700001",
    ms: 212_000,
    artistMbid: "aaaaaaaa-2222-4333-8444-555555555501",
  },
  crazy: {
    artist: "Beyoncé",
    title: "Crazy In Love (feat. Jay-Z)",
    album: "Dangerously In Love",
    uri: "spotify:track:1aAbBcCdDeEfFgGhHiIjJk",
    mbid: "11111111-2222-4333-8444-555555555502",
    isrc: "USSM10300001",
    ms: 236_000,
    artistMbid: "aaaaaaaa-2222-4333-8444-555555555502",
  },
  rhapsody: {
    artist: "Queen",
    title: "Bohemian Rhapsody - Remastered 2011",
    album: "A Night At The Opera",
    uri: "spotify:track:2aAbBcCdDeEfFgGhHiIjJk",
    mbid: "11111111-2222-4333-8444-555555555503",
    isrc: "GBUM71029604",
    ms: 354_000,
    artistMbid: "aaaaaaaa-2222-4333-8444-555555555503",
  },
};

/** An extended streaming history entry with every documented field. */
function extendedEntry(ts: string, fields: Record<string, unknown>) {
  return {
    ts,
    platform: "linux",
    ms_played: 200_000,
    conn_country: "GB",
    ip_addr: "192.0.2.10",
    master_metadata_track_name: null,
    master_metadata_album_artist_name: null,
    master_metadata_album_album_name: null,
    spotify_track_uri: null,
    episode_name: null,
    episode_show_name: null,
    spotify_episode_uri: null,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: "trackdone",
    reason_end: "trackdone",
    shuffle: false,
    skipped: false,
    offline: false,
    offline_timestamp: null,
    incognito_mode: false,
    ...fields,
  };
}
const songEntry = (ts: string, song: (typeof SONGS)[keyof typeof SONGS], extra: Record<string, unknown> = {}) =>
  extendedEntry(ts, {
    master_metadata_track_name: song.title,
    master_metadata_album_artist_name: song.artist,
    master_metadata_album_album_name: song.album,
    spotify_track_uri: song.uri,
    ...extra,
  });

const spotifyExtended = () =>
  jsonArray([
    songEntry("2026-10-01T08:00:00Z", SONGS.heaven, { ms_played: SONGS.heaven.ms }),
    songEntry("2026-10-01T08:04:00Z", SONGS.crazy, { ms_played: 180_000 }),
    songEntry("2026-10-01T08:08:00Z", SONGS.rhapsody, { ms_played: 12_000, reason_end: "fwdbtn" }), // under 30 s: a skip
    songEntry("2026-10-01T08:09:00Z", SONGS.heaven, { ms_played: 95_000, skipped: true, reason_end: "fwdbtn" }), // skipped: a skip
    songEntry("2026-10-01T08:11:00Z", SONGS.rhapsody, { ms_played: SONGS.rhapsody.ms, shuffle: true }),
    extendedEntry("2026-10-01T09:00:00Z", {
      episode_name: "Episode 12",
      episode_show_name: "A Show",
      spotify_episode_uri: "spotify:episode:3aAbBcCdDeEfFgGhHiIjJk",
    }),
    extendedEntry("2026-10-01T10:00:00Z", {
      audiobook_title: "A Book",
      audiobook_uri: "spotify:show:4aAbBcCdDeEfFgGhHiIjJk",
      audiobook_chapter_uri: "spotify:episode:5aAbBcCdDeEfFgGhHiIjJk",
      audiobook_chapter_title: "Chapter 1",
    }),
    songEntry("2026-10-01T11:00:00Z", SONGS.crazy, { incognito_mode: true }),
    extendedEntry("2026-10-01T12:00:00Z", {}), // a play Spotify kept no metadata for
  ]);

/** ListenBrainz listens of the same three songs, written as another catalogue writes them, plus a different song with a shared title. */
function listen(listenedAt: number | string, artist: string, title: string, info: Record<string, unknown>, release: string | null = null) {
  return {
    listened_at: listenedAt,
    recording_msid: `msid-${artist}-${title}-${listenedAt}`,
    user_name: "someone",
    track_metadata: { artist_name: artist, track_name: title, release_name: release, additional_info: info },
  };
}
const listens = () => [
  listen(1_790_000_000, "Cure", "Just like heaven", {
    recording_mbid: SONGS.heaven.mbid,
    artist_mbids: [SONGS.heaven.artistMbid],
    duration_ms: SONGS.heaven.ms + 1500,
    isrc: SONGS.heaven.isrc,
  }),
  listen(1_790_000_300, "Beyonce feat. JAY-Z", "Crazy in Love", {
    recording_mbid: SONGS.crazy.mbid,
    duration_ms: SONGS.crazy.ms,
    spotify_id: `https://open.spotify.com/track/${SONGS.crazy.uri.split(":")[2]}`,
  }),
  listen("2026-09-20T10:00:00+02:00", "Queen", "Bohemian Rhapsody (2011 Remaster)", {
    recording_mbid: SONGS.rhapsody.mbid,
    duration: 355,
    isrc: SONGS.rhapsody.isrc,
  }),
  listen(1_790_000_900, "Dinosaur Jr.", "Just Like Heaven", { duration_ms: 170_000 }),
];

/** Row counts of every table an import writes. */
async function tableCounts(t: TestDatabase) {
  const [row] = await t.db.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM artists)::int AS artists, (SELECT count(*) FROM tracks)::int AS tracks,
    (SELECT count(*) FROM listening_events)::int AS events, (SELECT count(*) FROM track_external_ids)::int AS track_ids,
    (SELECT count(*) FROM artist_external_ids)::int AS artist_ids, (SELECT count(*) FROM user_track_stats)::int AS track_stats,
    (SELECT coalesce(sum(streams), 0)::int FROM user_track_stats) AS streams, (SELECT coalesce(sum(skips), 0)::int FROM user_track_stats) AS skips`);
  return row;
}

describe.each<Target>(["embedded", "postgres"])("listening-history imports on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });
  const user = { externalKey: `listener-${target}` };

  it.skipIf(skip)(
    `Spotify then ListenBrainz: the same three songs are three tracks, a same-titled song by another artist a fourth; re-imports add nothing ${skip ? skipPostgres : ""}`,
    async () => {
      const spotify = file(`Streaming_History_Audio_2026_${target}.json`, spotifyExtended());
      const report = await importSpotifyHistory(t.db, spotify, { user });
      expect(report.created).toEqual({ users: 1, artists: 3, tracks: 3, events: 5 });
      expect(report.read).toEqual({ plays: 5, streams: 3, skips: 2 });
      expect(report.skipped).toMatchObject({
        podcastEpisodes: 1,
        audiobookChapters: 1,
        privateSessionPlays: 1,
        playsWithoutTrackMetadata: 1,
        alreadyRecordedPlays: 0,
      });
      const afterSpotify = await tableCounts(t);
      expect(afterSpotify).toMatchObject({ streams: 3, skips: 2, tracks: 3, track_ids: 3 });
      // ms_played is kept on every event, skips included.
      const played = await t.db.query<{ kind: string; ms: number }>(`SELECT kind::text AS kind, ms_played AS ms FROM listening_events ORDER BY occurred_at`);
      expect(played).toEqual([
        { kind: "STREAM", ms: 212_000 },
        { kind: "STREAM", ms: 180_000 },
        { kind: "SKIP", ms: 12_000 },
        { kind: "SKIP", ms: 95_000 },
        { kind: "STREAM", ms: 354_000 },
      ]);

      const again = await importSpotifyHistory(t.db, spotify, { user });
      expect(again.created).toEqual({ users: 0, artists: 0, tracks: 0, events: 0 });
      expect(again.skipped.alreadyRecordedPlays).toBe(5);
      expect(await tableCounts(t)).toEqual(afterSpotify);

      const lb = file(
        `listens-${target}.jsonl`,
        listens()
          .map((l) => JSON.stringify(l))
          .join("\n") + "\n",
      );
      const lbReport = await importListenBrainz(t.db, lb, { user });
      expect(lbReport.created).toEqual({ users: 0, artists: 1, tracks: 1, events: 4 });
      const tracks = await t.db.query<{ title: string; artist: string; duration: number; ids: string[] }>(
        `SELECT t.title, a.name AS artist, t.duration_ms AS duration,
              coalesce(array_agg(e.kind::text || ':' || e.value ORDER BY e.kind, e.value) FILTER (WHERE e.value IS NOT NULL), '{}') AS ids
       FROM tracks t JOIN artists a ON a.id = t.artist_id LEFT JOIN track_external_ids e ON e.track_id = t.id
       GROUP BY t.id, a.name ORDER BY t.id`,
      );
      expect(tracks.map((r) => `${r.artist} - ${r.title}`)).toEqual([
        "The Cure - Just Like Heaven",
        "Beyoncé - Crazy In Love (feat. Jay-Z)",
        "Queen - Bohemian Rhapsody - Remastered 2011",
        "Dinosaur Jr. - Just Like Heaven",
      ]);
      // What ListenBrainz knew (MusicBrainz ids, ISRCs, durations) is now on the Spotify-made tracks.
      expect(tracks[0].ids).toEqual([`MUSICBRAINZ:${SONGS.heaven.mbid}`, `ISRC:${SONGS.heaven.isrc}`, `SPOTIFY:${SONGS.heaven.uri}`]);
      expect(tracks[0].duration).toBe(SONGS.heaven.ms + 1500);
      expect(tracks[2].duration).toBe(355_000);
      const lbAgain = await importListenBrainz(t.db, lb, { user });
      expect(lbAgain.created).toEqual({ users: 0, artists: 0, tracks: 0, events: 0 });

      // The same listens as one JSON array: the same events, so nothing new.
      const lbArray = file(`listens-${target}.json`, jsonArray(listens()));
      expect((await importListenBrainz(t.db, lbArray, { user })).created.events).toBe(0);

      // Last.fm scrobbles of the same songs (one carrying the MusicBrainz id only) join the same tracks.
      const before = await tableCounts(t);
      const scrobbles = file(
        `scrobbles-${target}.csv`,
        [
          "Cure,Kiss Me,Just Like Heaven,02 Oct 2026 09:15",
          `"Queen","A Night At The Opera","Bohemian Rhapsody (Remastered 2011)","02 Oct 2026 09:20"`,
          "Beyoncé,Dangerously In Love,Crazy In Love,02 Oct 2026 09:25",
          "Beyoncé,Dangerously In Love,Crazy In Love,02 Oct 2026 09:25",
        ].join("\r\n"),
      );
      const lastfm = await importLastfmScrobbles(t.db, scrobbles, { user });
      expect(lastfm.created).toEqual({ users: 0, artists: 0, tracks: 0, events: 4 });
      const withHeader = file(
        `scrobbles-header-${target}.csv`,
        ["uts,artist,artist_mbid,album,track,track_mbid", `1791000000,Someone Else,,,Just Like Heaven,${SONGS.heaven.mbid}`].join("\n"),
      );
      expect((await importLastfmScrobbles(t.db, withHeader, { user })).created).toEqual({ users: 0, artists: 0, tracks: 0, events: 1 });
      expect((await tableCounts(t)).tracks).toBe(before.tracks);
    },
  );

  it.skipIf(skip)("reads the account data's StreamingHistory*.json and user.getRecentTracks pages, skipping podcasts and the track now playing", async () => {
    const account = file(
      `StreamingHistory_music_0_${target}.json`,
      jsonArray([
        { endTime: "2026-10-03 20:15", artistName: "Nina Simone", trackName: "Feeling Good", msPlayed: 172_000 },
        { endTime: "2026-10-03 20:16", artistName: "Nina Simone", trackName: "Sinnerman", msPlayed: 9_000 },
        { endTime: "2026-10-03 20:30", podcastName: "A Show", episodeName: "Episode 3", msPlayed: 600_000 },
      ]),
    );
    const report = await importSpotifyHistory(t.db, account, { user: { externalKey: `old-${target}` } });
    expect(report.created).toMatchObject({ users: 1, artists: 1, tracks: 2, events: 2 });
    expect(report.read).toEqual({ plays: 2, streams: 1, skips: 1 });
    expect(report.skipped.podcastEpisodes).toBe(1);
    const [at] = await t.db.query<{ at: Date }>(
      `SELECT min(occurred_at) AS at FROM listening_events e JOIN users u ON u.id = e.user_id WHERE u.external_key = $1`,
      [`old-${target}`],
    );
    expect(new Date(at.at).toISOString()).toBe("2026-10-03T20:15:00.000Z");

    const page = (tracks: unknown[], n: number) => ({
      recenttracks: { track: tracks, "@attr": { user: "someone", page: String(n), perPage: "200", totalPages: "2", total: "3" } },
    });
    const scrobble = (name: string, artist: string, uts: number, mbid = "") => ({
      artist: { mbid: "", "#text": artist },
      streamable: "0",
      image: [],
      mbid,
      album: { mbid: "", "#text": "" },
      name,
      url: "https://www.last.fm/music/x",
      date: { uts: String(uts), "#text": "x" },
    });
    const nowPlaying = { ...scrobble("Feeling Good", "Nina Simone", 0), date: undefined, "@attr": { nowplaying: "true" } };
    const pages = file(
      `recenttracks-${target}.json`,
      JSON.stringify(
        [
          page([nowPlaying, scrobble("Feeling Good", "Nina Simone", 1_791_100_000), scrobble("Sinnerman", "Nina Simone", 1_791_100_600)], 1),
          page([scrobble("Lilac Wine", "Nina Simone", 1_791_101_000)], 2),
        ],
        null,
        2,
      ),
    );
    const json = await importLastfmScrobbles(t.db, pages, { user: { externalKey: `old-${target}` } });
    expect(json.created).toMatchObject({ tracks: 1, events: 3 });
    expect(json.skipped.nowPlaying).toBe(1);
    const single = file(`recenttracks-page-${target}.json`, JSON.stringify(page([scrobble("Sinnerman", "Nina Simone", 1_791_100_600)], 1)));
    expect((await importLastfmScrobbles(t.db, single, { user: { externalKey: `old-${target}` } })).created.events).toBe(0);
  });

  it.skipIf(skip)("a broken entry fails its file with the line and field, and writes nothing", async () => {
    const before = await tableCounts(t);
    const who = { user: { externalKey: `broken-${target}` } };
    const spotify = file(
      `Streaming_History_Audio_broken_${target}.json`,
      jsonArray([songEntry("2026-10-01T08:00:00Z", SONGS.heaven), songEntry("2026-10-01T08:05:00Z", SONGS.crazy), songEntry("Jan 2", SONGS.rhapsody)]),
    );
    await expect(importSpotifyHistory(t.db, spotify, who)).rejects.toThrow(
      `Streaming_History_Audio_broken_${target}.json:4: ts: must be an ISO 8601 date-time with a zone`,
    );
    const badUri = file(
      `Streaming_History_Audio_uri_${target}.json`,
      jsonArray([songEntry("2026-10-01T08:00:00Z", SONGS.heaven, { spotify_track_uri: "spotify:track:short" })]),
    );
    await expect(importSpotifyHistory(t.db, badUri, who)).rejects.toThrow(":2: spotify_track_uri: must be a Spotify track URI");
    const whole = spotifyExtended();
    const truncated = file(`Streaming_History_Audio_cut_${target}.json`, whole.slice(0, whole.indexOf("\n", whole.indexOf("\n") + 1) + 50)); // ends inside line 3
    await expect(importSpotifyHistory(t.db, truncated, who)).rejects.toThrow(/:3: not valid JSON/);

    const lb = file(
      `listens-broken-${target}.jsonl`,
      [JSON.stringify(listens()[0]), JSON.stringify(listens()[1]), JSON.stringify({ ...listens()[2], listened_at: "2026-02-30T10:00:00Z" })].join("\n"),
    );
    await expect(importListenBrainz(t.db, lb, who)).rejects.toThrow(":3: listened_at: is not a calendar date");
    const lbMbid = file(`listens-mbid-${target}.jsonl`, JSON.stringify(listen(1_790_000_000, "A", "B", { recording_mbid: "not-a-uuid" })));
    await expect(importListenBrainz(t.db, lbMbid, who)).rejects.toThrow(":1: track_metadata.additional_info.recording_mbid: must be a MusicBrainz id");

    const csv = file(
      `scrobbles-broken-${target}.csv`,
      ["Cure,Kiss Me,Just Like Heaven,02 Oct 2026 09:15", "Cure,Kiss Me,Just Like Heaven,Jan 2", ""].join("\n"),
    );
    await expect(importLastfmScrobbles(t.db, csv, who)).rejects.toThrow(`scrobbles-broken-${target}.csv:2: date: must be a Last.fm date`);
    const impossible = file(`scrobbles-impossible-${target}.csv`, "Cure,Kiss Me,Just Like Heaven,31 Feb 2026 09:15\n");
    await expect(importLastfmScrobbles(t.db, impossible, who)).rejects.toThrow(":1: date: is not a calendar date");
    const quote = file(`scrobbles-quote-${target}.csv`, 'Cure,Kiss Me,Just Like Heaven,02 Oct 2026 09:15\n"Cure,Kiss Me,Just Like Heaven,02 Oct 2026 09:16\n');
    await expect(importLastfmScrobbles(t.db, quote, who)).rejects.toThrow(":2: unterminated quoted field");
    expect(await tableCounts(t)).toEqual(before);
  });
});
