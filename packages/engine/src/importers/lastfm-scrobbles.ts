import { basename } from "node:path";
import type { Database } from "@deepcuts/db";
import { checkInstant, InstantError, parseEpochInstant } from "../validation/instant.ts";
import { readCsvRows } from "./csv.ts";
import { Fields, mbid } from "./fields.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import { firstJsonChar, readJsonValues } from "./json-stream.ts";
import { atLine, checkSongText, countedPlay, importPlays, type PlayImportOptions, type PlayRow } from "./plays.ts";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * Last.fm's scrobble date as its exports write it, "dd MMM yyyy HH:mm" in UTC ("05 Jan 2023 18:22";
 * the API's own text adds a comma: "05 Jan 2023, 18:22"). The calendar date must exist.
 */
export function parseLastfmDate(raw: string, field: string, now: Date = new Date()): Date {
  const m = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4}),? (\d{2}):(\d{2})$/.exec(raw.trim());
  const month = m ? MONTHS.indexOf(m[2].toLowerCase()) : -1;
  if (!m || month < 0) throw new InstantError(field, `must be a Last.fm date "dd MMM yyyy HH:mm" in UTC (e.g. 05 Jan 2023 18:22), got '${raw.slice(0, 60)}'`);
  const [day, year, hour, minute] = [Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5])];
  const date = new Date(Date.UTC(year, month, day, hour, minute));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month || hour > 23 || minute > 59)
    throw new InstantError(field, `is not a calendar date and time: '${raw.slice(0, 60)}'`);
  return checkInstant(date, field, now);
}

/** Header names the CSV exports use, mapped to ours. */
const COLUMN_NAMES: Record<string, string> = {
  artist: "artist",
  artist_name: "artist",
  album: "album",
  album_name: "album",
  track: "track",
  track_name: "track",
  title: "track",
  name: "track",
  date: "date",
  utc_time: "date",
  time: "date",
  uts: "uts",
  timestamp: "uts",
  artist_mbid: "artist_mbid",
  album_mbid: "album_mbid",
  track_mbid: "track_mbid",
  mbid: "track_mbid",
};
const HEADERLESS = ["artist", "album", "track", "date"];

/** One CSV row (columns named by `columns`) as a play. */
function csvPlay(file: string, line: number, columns: string[], cells: string[], now: Date): PlayRow {
  if (cells.length !== columns.length) throw new ImportError(file, line, `expected ${columns.length} fields (${columns.join(", ")}), got ${cells.length}`);
  const get = (name: string) => {
    const i = columns.indexOf(name);
    return i < 0 ? null : cells[i].trim() || null;
  };
  const artist =
    get("artist") ??
    (() => {
      throw new ImportError(file, line, "artist is empty");
    })();
  const title =
    get("track") ??
    (() => {
      throw new ImportError(file, line, "track is empty");
    })();
  const album = get("album");
  checkSongText(file, line, { artist, track: title, album });
  let occurredAt!: Date;
  const uts = get("uts");
  atLine(file, line, () => {
    if (uts !== null) occurredAt = parseEpochInstant(uts, "s", "uts", now);
    else occurredAt = parseLastfmDate(get("date") ?? "", "date", now);
  });
  const fail =
    (field: string) =>
    (problem: string): never => {
      throw new ImportError(file, line, `${field}: ${problem}`);
    };
  const recordingMbid = mbid(get("track_mbid"), fail("track_mbid"));
  const artistMbid = mbid(get("artist_mbid"), fail("artist_mbid"));
  return countedPlay({ line, occurredAt, artist, title, album, recordingMbid, artistMbids: artistMbid ? [artistMbid] : [] });
}

/** One entry of a user.getRecentTracks page: a scrobble, or the track now playing (skipped). */
export function recentTrackRow(file: string, line: number, value: unknown, now: Date = new Date()): PlayRow {
  const f = Fields.of(file, line, value, "each recenttracks.track entry");
  if (f.object("@attr")?.string("nowplaying") === "true") return { skip: "nowPlaying" };
  const title = f.requiredString("name");
  const artistField = f.object("artist") ?? f.fail("artist", "is missing");
  // The plain call writes the name as "#text"; extended=1 writes it as "name".
  const artist = artistField.string("#text") ?? artistField.string("name") ?? artistField.fail("#text", "is missing");
  const album = f.object("album")?.string("#text") ?? null;
  checkSongText(file, line, { name: title, "artist.#text": artist, "album.#text": album });
  const date = f.object("date") ?? f.fail("date", "is missing (only the track now playing has none)");
  let occurredAt!: Date;
  atLine(file, line, () => (occurredAt = parseEpochInstant(date.requiredString("uts"), "s", "date.uts", now)));
  const recordingMbid = mbid(f.string("mbid"), (p) => f.fail("mbid", p));
  const artistMbid = mbid(artistField.string("mbid"), (p) => artistField.fail("mbid", p));
  return countedPlay({ line, occurredAt, artist, title, album, recordingMbid, artistMbids: artistMbid ? [artistMbid] : [] });
}

/**
 * Imports Last.fm scrobbles: the widespread CSV export (artist, album, track, date; with or
 * without a header row; a uts or mbid column is used when present) or the API's
 * user.getRecentTracks JSON (one page, or an array of pages). A scrobble is a stream (Last.fm
 * only scrobbles a track played for half its length or 4 minutes).
 */
export function importLastfmScrobbles(db: Database, path: string, options: PlayImportOptions): Promise<ImportReport> {
  const file = basename(path);
  const now = new Date();
  return importPlays(
    db,
    path,
    "lastfm",
    async function* (onBytes) {
      const first = await firstJsonChar(path);
      if (file.toLowerCase().endsWith(".json") || first === "{" || first === "[") {
        if (first !== "{" && first !== "[") throw new ImportError(file, 1, "a user.getRecentTracks file is a JSON object (one page) or an array of pages");
        const paths = first === "{" ? ["$.recenttracks.track.*"] : ["$.*.recenttracks.track.*"];
        for await (const { value, line } of readJsonValues(path, file, paths, onBytes)) yield recentTrackRow(file, line, value, now);
        return;
      }
      let columns: string[] | null = null;
      for await (const { cells, line } of readCsvRows(path, file, { onBytes })) {
        if (columns === null) {
          const names = cells.map((c) => COLUMN_NAMES[c.trim().toLowerCase()]);
          if (names.includes("artist") && names.includes("track")) {
            const unknown = cells.find((c, i) => !names[i]);
            if (unknown !== undefined) throw new ImportError(file, line, `unknown column '${unknown}' (known: ${Object.keys(COLUMN_NAMES).join(", ")})`);
            if (!names.includes("date") && !names.includes("uts")) throw new ImportError(file, line, "needs a date or uts column");
            columns = names;
            continue;
          }
          columns = HEADERLESS;
        }
        yield csvPlay(file, line, columns, cells, now);
      }
    },
    options,
  );
}
