import { basename } from "node:path";
import type { Database } from "@deepcuts/db";
import { parseIsoInstant } from "../validation/instant.ts";
import { Fields, spotifyTrackUri } from "./fields.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import { firstJsonChar, readJsonValues } from "./json-stream.ts";
import { atLine, checkSongText, importPlays, type PlayImportOptions, type PlayRow } from "./plays.ts";

/** File names of a Spotify data download that hold plays: the extended history and the account data's. */
export const SPOTIFY_FILE = /^(Streaming_History_Audio_.*|endsong_\d+|StreamingHistory(_music)?_?\d+)\.json$/i;
/** Files of a download that hold only podcasts or video: listed as skipped, not read. */
export const SPOTIFY_OTHER_FILE = /^(Streaming_History_Video_.*|StreamingHistory_podcast_?\d+)\.json$/i;

/** The account data's endTime: "2023-01-05 18:22", in UTC as Spotify documents it. */
function parseEndTime(raw: string, field: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/.exec(raw.trim());
  return parseIsoInstant(m ? `${m[1]}T${m[2]}:00Z` : raw, field);
}

/** One element of either Spotify format: a play, or a row that is not a song. */
export function spotifyRow(file: string, line: number, value: unknown, now: Date = new Date()): PlayRow {
  const f = Fields.of(file, line, value);
  if ("ts" in f.row) {
    // Extended streaming history (Streaming_History_Audio_*.json, endsong_*.json).
    let occurredAt!: Date;
    atLine(file, line, () => (occurredAt = parseIsoInstant(f.requiredString("ts"), "ts", now)));
    const msPlayed = f.integer("ms_played") ?? f.fail("ms_played", "is missing");
    for (const field of ["reason_start", "reason_end", "platform", "conn_country"]) f.string(field);
    for (const field of ["shuffle", "offline", "incognito_mode"]) f.boolean(field);
    const skipped = f.boolean("skipped") === true;
    if (f.string("spotify_episode_uri") || f.string("episode_name") || f.string("episode_show_name")) return { skip: "podcastEpisodes" };
    if (f.string("audiobook_uri") || f.string("audiobook_chapter_uri") || f.string("audiobook_title")) return { skip: "audiobookChapters" };
    if (f.boolean("incognito_mode")) return { skip: "privateSessionPlays" };
    const title = f.string("master_metadata_track_name");
    const artist = f.string("master_metadata_album_artist_name");
    const album = f.string("master_metadata_album_album_name");
    const spotifyUri = spotifyTrackUri(f.string("spotify_track_uri"), (p) => f.fail("spotify_track_uri", p));
    if (!title || !artist) return { skip: "playsWithoutTrackMetadata" };
    checkSongText(file, line, { master_metadata_track_name: title, master_metadata_album_artist_name: artist, master_metadata_album_album_name: album });
    return { line, occurredAt, msPlayed, skipped, artist, title, album, spotifyUri, sourceKey: `${spotifyUri ?? `${artist}\t${title}`}|${msPlayed}` };
  }
  if ("endTime" in f.row) {
    // Account data (StreamingHistory*.json): endTime, artistName, trackName, msPlayed.
    let occurredAt!: Date;
    atLine(file, line, () => (occurredAt = parseEndTime(f.requiredString("endTime"), "endTime")));
    const msPlayed = f.integer("msPlayed") ?? f.fail("msPlayed", "is missing");
    if (f.string("podcastName") || f.string("episodeName")) return { skip: "podcastEpisodes" };
    const artist = f.requiredString("artistName");
    const title = f.requiredString("trackName");
    checkSongText(file, line, { artistName: artist, trackName: title });
    return { line, occurredAt, msPlayed, skipped: false, artist, title, sourceKey: `${artist}\t${title}|${msPlayed}` };
  }
  return f.fail("ts", "is missing (neither an extended streaming history entry with ts nor an account data entry with endTime)");
}

/**
 * Imports one Spotify streaming-history file (a JSON array, read as a stream): the extended
 * history or the account data's StreamingHistory*.json, told apart per entry by `ts` or
 * `endTime`. Podcast episodes, audiobook chapters, private-session plays and entries without a
 * track name are counted and skipped. See docs/data.md for the field mapping.
 */
export function importSpotifyHistory(db: Database, path: string, options: PlayImportOptions): Promise<ImportReport> {
  const file = basename(path);
  const now = new Date();
  return importPlays(
    db,
    path,
    "spotify",
    async function* (onBytes) {
      if ((await firstJsonChar(path)) !== "[") throw new ImportError(file, 1, "a Spotify streaming history file is a JSON array");
      for await (const { value, line } of readJsonValues(path, file, ["$.*"], onBytes)) yield spotifyRow(file, line, value, now);
    },
    options,
  );
}
