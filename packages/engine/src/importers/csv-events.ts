import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { Database } from "@deepcuts/db";
import { insertEvents, upsertArtists, upsertTracks, upsertUsers, type EventKindName, type EventRow } from "../ingest.ts";
import { readCsvRows } from "./csv.ts";
import { readJsonLines } from "./json-stream.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import type { Progress } from "../progress.ts";
import { InstantError, parseIsoInstant } from "../validation/instant.ts";
import { checkText, TEXT_LIMITS, TextError, type TextRule } from "../validation/text.ts";
import { checkPlaylistContexts, PlaylistContextError } from "../listener/outcomes.ts";

const KINDS: Record<string, EventKindName> = {
  stream: "STREAM", play: "STREAM", save: "SAVE", artist_visit: "ARTIST_VISIT", visit: "ARTIST_VISIT", skip: "SKIP", dislike: "DISLIKE",
  not_for_me: "DISLIKE", playlist_add: "PLAYLIST_ADD",
};
const REQUIRED = ["user", "kind", "occurred_at"] as const;
/** Free-text columns and their rule (empty optional cells are allowed: `required` is checked above). */
const TEXT_COLUMNS: [string, TextRule][] = [
  ["event_id", { ...TEXT_LIMITS.key, required: false }], ["user", TEXT_LIMITS.key], ["user_name", { ...TEXT_LIMITS.name, required: false }],
  ["time_zone", { maxLength: 64 }], ["track", { ...TEXT_LIMITS.key, required: false }], ["track_title", { ...TEXT_LIMITS.name, required: false }],
  ["artist", { ...TEXT_LIMITS.key, required: false }],
];
const KNOWN = new Set(["event_id", "user", "user_name", "time_zone", "track", "track_title", "artist", "duration_ms", "kind", "occurred_at", "ms_played", "playlist_id", "position"]);

interface ParsedEvent {
  line: number;
  eventId: string;
  user: string;
  userName: string;
  timeZone: string;
  track: string | null;
  trackTitle: string | null;
  artist: string | null;
  durationMs: number;
  kind: EventKindName;
  occurredAt: Date;
  msPlayed: number | null;
  playlistId: number | null;
  position: number | null;
}

/**
 * Imports a CSV of listening events. Columns (header row, any order): user, kind, occurred_at
 * (ISO 8601) and track (or artist for artist visits and dislikes) are required; event_id,
 * user_name, time_zone, track_title, artist, duration_ms and ms_played are optional; playlist_id
 * and position (0-based) name the listener's weekly playlist slot the event is the outcome of
 * (checked as recordEvents checks them: listener/outcomes.ts). Unknown
 * users are created; unknown tracks are created when the row names their artist. Every row is
 * checked before anything is written; then all of it is written in one transaction.
 */
export async function importEventsCsv(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const file = basename(path);
  const rows = readCsvRows(path, file);
  const first = await rows.next();
  if (first.done) throw new ImportError(file, 1, "empty file: expected a header row");
  const header = first.value.cells.map((h) => h.trim().toLowerCase());
  for (const h of header) if (!KNOWN.has(h)) throw new ImportError(file, 1, `unknown column '${h}' (known: ${[...KNOWN].join(", ")})`);
  for (const r of REQUIRED) if (!header.includes(r)) throw new ImportError(file, 1, `missing required column '${r}'`);
  if (!header.includes("track") && !header.includes("artist")) throw new ImportError(file, 1, "needs a 'track' or an 'artist' column");
  const col = (name: string) => header.indexOf(name);
  async function* fields(): AsyncGenerator<EventFields> {
    for await (const { cells, line } of rows) {
      if (cells.length !== header.length) throw new ImportError(file, line, `expected ${header.length} fields, got ${cells.length}`);
      yield { line, get: (name: string) => (col(name) >= 0 ? cells[col(name)].trim() : "") };
    }
  }
  return importEventRows(db, file, `csv:${path}`, fields(), onProgress);
}

/**
 * Imports a JSON-lines file of listening events: one object per line with the CSV's columns as
 * keys (`{"user": "u1", "kind": "stream", "track": "t9", "occurred_at": "...", "playlist_id": 7,
 * "position": 3}`), strings or numbers, checked by the same rules and written the same way.
 */
export async function importEventsJsonl(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const file = basename(path);
  async function* fields(): AsyncGenerator<EventFields> {
    for await (const { value, line } of readJsonLines(path, file)) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ImportError(file, line, "each line must be a JSON object");
      const fieldsOf = new Map<string, string>();
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (!KNOWN.has(key)) throw new ImportError(file, line, `unknown field '${key}' (known: ${[...KNOWN].join(", ")})`);
        if (v === null) continue;
        if (typeof v === "string") fieldsOf.set(key, v.trim());
        else if (typeof v === "number") fieldsOf.set(key, String(v));
        else throw new ImportError(file, line, `${key} must be a string or a number, got ${Array.isArray(v) ? "an array" : typeof v}`);
      }
      yield { line, get: (name: string) => fieldsOf.get(name) ?? "" };
    }
  }
  return importEventRows(db, file, `jsonl:${path}`, fields(), onProgress);
}

/** An events file by its name: JSON lines (`.jsonl`, `.ndjson`) or CSV (anything else). */
export function importEvents(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  return /\.(jsonl|ndjson)$/i.test(path) ? importEventsJsonl(db, path, onProgress) : importEventsCsv(db, path, onProgress);
}

/** One row of an events file: its line and its fields by column name ("" when absent). */
interface EventFields {
  line: number;
  get: (name: string) => string;
}

/** Checks every row, then writes users, tracks and events in one transaction (both formats). */
async function importEventRows(db: Database, file: string, source: string, rows: AsyncIterable<EventFields>, onProgress: Progress): Promise<ImportReport> {
  const started = Date.now();
  const events: ParsedEvent[] = [];
  const now = new Date();
  for await (const { line, get } of rows) {
    const user = get("user");
    if (!user) throw new ImportError(file, line, "user is empty");
    const kindRaw = get("kind").toLowerCase();
    const kind = KINDS[kindRaw];
    if (!kind) throw new ImportError(file, line, `kind must be one of ${Object.keys(KINDS).join(", ")}, got '${get("kind")}'`);
    let occurredAt: Date;
    try {
      occurredAt = parseIsoInstant(get("occurred_at"), "occurred_at", now);
    } catch (error) {
      if (error instanceof InstantError) throw new ImportError(file, line, error.message);
      throw error;
    }
    for (const [name, rule] of TEXT_COLUMNS) {
      try {
        checkText(get(name), name, rule);
      } catch (error) {
        if (error instanceof TextError) throw new ImportError(file, line, error.message);
        throw error;
      }
    }
    const track = get("track") || null;
    const artist = get("artist") || null;
    if (!track && (kind === "STREAM" || kind === "SAVE" || kind === "SKIP" || kind === "PLAYLIST_ADD")) throw new ImportError(file, line, `a ${kindRaw} event needs a track`);
    if (!track && !artist) throw new ImportError(file, line, "needs a track or an artist");
    const numberOrNull = (name: string) => {
      const v = get(name);
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new ImportError(file, line, `${name} must be a non-negative integer, got '${v}'`);
      return n;
    };
    const msPlayed = numberOrNull("ms_played");
    const playlistId = numberOrNull("playlist_id"), position = numberOrNull("position");
    const durationMs = numberOrNull("duration_ms") ?? 0;
    const timeZone = get("time_zone") || "UTC";
    try {
      new Intl.DateTimeFormat("en", { timeZone });
    } catch {
      throw new ImportError(file, line, `time_zone must be an IANA time zone, got '${timeZone}'`);
    }
    const eventId = get("event_id") || createHash("sha1").update(`${user}|${track}|${artist}|${kind}|${occurredAt.toISOString()}`).digest("hex");
    events.push({ line, eventId, user, userName: get("user_name") || user, timeZone, track, trackTitle: get("track_title") || null, artist, durationMs, kind, occurredAt, msPlayed, playlistId, position });
  }

  const result = await db.transaction(async (query) => {
    onProgress("users", 0, 3);
    const users = await upsertUsers(query, [...new Map(events.map((e) => [e.user, { externalKey: e.user, name: e.userName, timeZone: e.timeZone }])).values()]);
    const artistKeys = [...new Set(events.map((e) => e.artist).filter((a): a is string => a !== null))];
    const existingArtists = await query<{ id: number; external_key: string }>(`SELECT id, external_key FROM artists WHERE external_key = ANY($1::text[])`, [artistKeys]);
    const artists = new Map(existingArtists.map((a) => [a.external_key, a.id]));
    const missingArtists = artistKeys.filter((k) => !artists.has(k));
    for (const [k, id] of await upsertArtists(query, missingArtists.map((k) => ({ externalKey: k, name: k })))) artists.set(k, id);
    onProgress("tracks", 1, 3);
    const trackKeys = [...new Set(events.map((e) => e.track).filter((t): t is string => t !== null))];
    const existingTracks = await query<{ id: number; external_key: string }>(`SELECT id, external_key FROM tracks WHERE external_key = ANY($1::text[])`, [trackKeys]);
    const tracks = new Map(existingTracks.map((t) => [t.external_key, t.id]));
    const newTracks = new Map<string, ParsedEvent>();
    for (const e of events) {
      if (e.track && !tracks.has(e.track) && !newTracks.has(e.track)) {
        if (!e.artist) throw new ImportError(file, e.line, `unknown track '${e.track}' and no artist to create it with`);
        newTracks.set(e.track, e);
      }
    }
    const createdTracks = await upsertTracks(query, [...newTracks.values()].map((e) => ({
      externalKey: e.track!, title: e.trackTitle ?? e.track!, artistId: artists.get(e.artist!)!, durationMs: e.durationMs,
    })));
    for (const [k, id] of createdTracks) tracks.set(k, id);
    onProgress("events", 2, 3);
    const withContext = new Map<string, ParsedEvent[]>();
    for (const e of events) if (e.playlistId !== null || e.position !== null) withContext.set(e.user, [...(withContext.get(e.user) ?? []), e]);
    const column: Record<string, string> = { playlistId: "playlist_id", trackId: "track", artistId: "artist", position: "position" };
    for (const [user, list] of withContext) {
      try {
        await checkPlaylistContexts(query, users.get(user)!, list.map((e) => ({ ...e, trackId: e.track ? tracks.get(e.track)! : null, artistId: e.artist ? artists.get(e.artist)! : null })), () => "");
      } catch (error) {
        if (error instanceof PlaylistContextError) throw new ImportError(file, list[error.index].line, `${column[error.field] ?? error.field}: ${error.problem}`);
        throw error;
      }
    }
    let inserted = 0;
    for (let i = 0; i < events.length; i += 20_000) {
      const batch: EventRow[] = events.slice(i, i + 20_000).map((e) => ({
        userId: users.get(e.user)!, eventId: e.eventId, kind: e.kind,
        trackId: e.track ? tracks.get(e.track)! : null, artistId: e.artist ? artists.get(e.artist)! : null,
        occurredAt: e.occurredAt, msPlayed: e.msPlayed, playlistId: e.playlistId, position: e.position,
      }));
      inserted += await insertEvents(query, batch);
    }
    return { artists: missingArtists.length, tracks: newTracks.size, events: inserted };
  });
  onProgress("done", 3, 3);
  return {
    source,
    created: result,
    skipped: { alreadyRecordedEvents: events.length - result.events },
    seconds: (Date.now() - started) / 1000,
  };
}
