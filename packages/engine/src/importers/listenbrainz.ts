import { basename } from "node:path";
import type { Database } from "@deepcuts/db";
import { parseEpochInstant, parseIsoInstant } from "../validation/instant.ts";
import { Fields, isrc, mbid, spotifyTrackUri } from "./fields.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import { firstJsonChar, readJsonLines, readJsonValues } from "./json-stream.ts";
import { atLine, checkSongText, countedPlay, importPlays, type PlayImportOptions, type PlayRow } from "./plays.ts";

/**
 * One ListenBrainz listen: listened_at (epoch seconds, or ISO 8601 with a zone as newer exports
 * write it), track_metadata.{artist_name, track_name, release_name} and the ids in
 * track_metadata.additional_info (recording_mbid, artist_mbids, duration_ms or duration,
 * spotify_id, isrc), or in track_metadata.mbid_mapping when additional_info has none.
 */
export function listenRow(file: string, line: number, value: unknown, now: Date = new Date()): PlayRow {
  const f = Fields.of(file, line, value, "each listen");
  const listenedAt = f.row.listened_at;
  let occurredAt!: Date;
  atLine(file, line, () => {
    if (typeof listenedAt === "number" || (typeof listenedAt === "string" && /^\d+$/.test(listenedAt.trim())))
      occurredAt = parseEpochInstant(listenedAt, "s", "listened_at", now);
    else if (typeof listenedAt === "string") occurredAt = parseIsoInstant(listenedAt, "listened_at", now);
    else f.fail("listened_at", `must be epoch seconds or an ISO 8601 date-time with a zone, got ${JSON.stringify(listenedAt)}`);
  });
  const meta = f.object("track_metadata") ?? f.fail("track_metadata", "is missing");
  const artist = meta.requiredString("artist_name");
  const title = meta.requiredString("track_name");
  const album = meta.string("release_name");
  checkSongText(file, line, { "track_metadata.artist_name": artist, "track_metadata.track_name": title, "track_metadata.release_name": album });
  const info = meta.object("additional_info");
  const mapping = meta.object("mbid_mapping");
  const recordingMbid = mbid(info?.string("recording_mbid") ?? mapping?.string("recording_mbid") ?? null, (p) => (info ?? meta).fail("recording_mbid", p));
  const artistMbids = (info?.strings("artist_mbids").length ? info.strings("artist_mbids") : (mapping?.strings("artist_mbids") ?? [])).map((m) =>
    mbid(m, (p) => meta.fail("artist_mbids", p))!,
  );
  const seconds = info?.integer("duration");
  const durationMs = info?.integer("duration_ms") ?? (seconds ? seconds * 1000 : null);
  const spotifyUri = spotifyTrackUri(info?.string("spotify_id") ?? null, (p) => info!.fail("spotify_id", p));
  const code = isrc(info?.string("isrc") ?? null, (p) => info!.fail("isrc", p));
  const msid = f.string("recording_msid");
  return countedPlay({ line, occurredAt, artist, title, album, durationMs, recordingMbid, artistMbids, spotifyUri, isrc: code, sourceKey: msid });
}

/**
 * Imports a ListenBrainz listens export: JSON lines (one listen per line, as the export's
 * listens/*.jsonl files are) or one JSON array of listens, read as a stream. A listen is a
 * stream: ListenBrainz records a listen after half the track or 4 minutes.
 */
export function importListenBrainz(db: Database, path: string, options: PlayImportOptions): Promise<ImportReport> {
  const file = basename(path);
  const now = new Date();
  return importPlays(
    db,
    path,
    "listenbrainz",
    async function* (onBytes) {
      const first = await firstJsonChar(path);
      if (first !== null && first !== "[" && first !== "{") throw new ImportError(file, 1, "a ListenBrainz export is JSON lines or a JSON array of listens");
      const items = first === "[" ? readJsonValues(path, file, ["$.*"], onBytes) : readJsonLines(path, file, onBytes);
      for await (const { value, line } of items) yield listenRow(file, line, value, now);
    },
    options,
  );
}
