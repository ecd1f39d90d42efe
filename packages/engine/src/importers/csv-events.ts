import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { basename } from "node:path";
import { refreshPlannerStatistics, type Database } from "@deepcuts/db";
import { EVENT_KIND_WORDS, EVENT_MEANING, eventKindOfWord } from "../events/kinds.ts";
import { withImportHeapGrowth } from "../heap-growth.ts";
import { EventFileLoader, FILE_COPY_BATCH, MERGE_WORK_MEM, type KeyedEvent } from "../ingest-bulk.ts";
import { readCsvRows } from "./csv.ts";
import { readJsonLines } from "./json-stream.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import type { Progress } from "../progress.ts";
import { InstantError, parseIsoInstant } from "../validation/instant.ts";
import { checkText, TEXT_LIMITS, TextError, type TextRule } from "../validation/text.ts";
import { checkPlaylistContexts, PlaylistContextError } from "../listener/outcomes.ts";

const REQUIRED = ["user", "kind", "occurred_at"] as const;
/** Free-text columns and their rule (empty optional cells are allowed: `required` is checked above). */
const TEXT_COLUMNS: [string, TextRule][] = [
  ["event_id", { ...TEXT_LIMITS.key, required: false }],
  ["user", TEXT_LIMITS.key],
  ["user_name", { ...TEXT_LIMITS.name, required: false }],
  ["time_zone", { maxLength: 64 }],
  ["track", { ...TEXT_LIMITS.key, required: false }],
  ["track_title", { ...TEXT_LIMITS.name, required: false }],
  ["artist", { ...TEXT_LIMITS.key, required: false }],
];
const KNOWN = new Set([
  "event_id",
  "user",
  "user_name",
  "time_zone",
  "track",
  "track_title",
  "artist",
  "duration_ms",
  "kind",
  "occurred_at",
  "ms_played",
  "playlist_id",
  "position",
]);

/**
 * Imports a CSV of listening events. Columns (header row, any order): user, kind, occurred_at
 * (ISO 8601) and track (or artist for artist visits and dislikes) are required; event_id,
 * user_name, time_zone, track_title, artist, duration_ms and ms_played are optional; playlist_id
 * and position (0-based) name the listener's weekly playlist slot the event is the outcome of
 * (checked as recordEvents checks them: listener/outcomes.ts). Unknown
 * users are created; unknown tracks are created when the row names their artist. Every row is
 * checked before its batch is written, and the whole file is written in one transaction.
 */
export async function importEventsCsv(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const file = basename(path);
  const bytes = new ByteProgress(path);
  const rows = readCsvRows(path, file, { onBytes: bytes.onBytes });
  const first = await rows.next();
  if (first.done) throw new ImportError(file, 1, "empty file: expected a header row");
  const header = first.value.cells.map((h) => h.trim().toLowerCase());
  for (const h of header) if (!KNOWN.has(h)) throw new ImportError(file, 1, `unknown column '${h}' (known: ${[...KNOWN].join(", ")})`);
  for (const r of REQUIRED) if (!header.includes(r)) throw new ImportError(file, 1, `missing required column '${r}'`);
  if (!header.includes("track") && !header.includes("artist")) throw new ImportError(file, 1, "needs a 'track' or an 'artist' column");
  const column = new Map(header.map((name, i) => [name, i]));
  async function* fields(): AsyncGenerator<EventFields> {
    for await (const { cells, line } of rows) {
      if (cells.length !== header.length) throw new ImportError(file, line, `expected ${header.length} fields, got ${cells.length}`);
      yield {
        line,
        get: (name: string) => {
          const i = column.get(name);
          return i === undefined ? "" : cells[i].trim();
        },
      };
    }
  }
  return heapCapped(db, () => importEventRows(db, file, `csv:${path}`, fields(), bytes, onProgress));
}

/**
 * Imports a JSON-lines file of listening events: one object per line with the CSV's columns as
 * keys (`{"user": "u1", "kind": "stream", "track": "t9", "occurred_at": "...", "playlist_id": 7,
 * "position": 3}`), strings or numbers, checked by the same rules and written the same way.
 */
export async function importEventsJsonl(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const file = basename(path);
  const bytes = new ByteProgress(path);
  async function* fields(): AsyncGenerator<EventFields> {
    for await (const { value, line } of readJsonLines(path, file, bytes.onBytes)) {
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
  return heapCapped(db, () => importEventRows(db, file, `jsonl:${path}`, fields(), bytes, onProgress));
}

/** An events file by its name: JSON lines (`.jsonl`, `.ndjson`) or CSV (anything else). */
export function importEvents(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  return /\.(jsonl|ndjson)$/i.test(path) ? importEventsJsonl(db, path, onProgress) : importEventsCsv(db, path, onProgress);
}

/** In-process PGlite shares this process's memory: the JS heap's growth is capped while an embedded import runs (heap-growth.ts). */
function heapCapped<T>(db: Database, work: () => Promise<T>): Promise<T> {
  return db.target === "embedded" ? withImportHeapGrowth(work) : work();
}

/** How far the reader is through the file, for progress (bytes read of the file's size). */
class ByteProgress {
  read = 0;
  readonly size: number;
  constructor(path: string) {
    this.size = statSync(path).size;
  }
  onBytes = (read: number) => {
    this.read = read;
  };
}

/** One row of an events file: its line and its fields by column name ("" when absent). */
interface EventFields {
  line: number;
  get: (name: string) => string;
}

/** Rows per batch: each batch goes to the database as one COPY while the reader parses on. */
export const PARSE_BATCH = FILE_COPY_BATCH;

/**
 * Reads and checks the rows inside one transaction and stages them by key (EventFileLoader):
 * batches go out by COPY while the reader parses on, and each merge creates the file's new
 * listeners, artists and tracks and records the events and their aggregates in set-based
 * statements. Memory stays flat whatever the file's length (bounded batches and key caches),
 * and a bad row anywhere rolls the whole file back.
 */
async function importEventRows(
  db: Database,
  file: string,
  source: string,
  rows: AsyncIterable<EventFields>,
  bytes: ByteProgress,
  onProgress: Progress,
): Promise<ImportReport> {
  const started = Date.now();
  const now = new Date();
  const zones = new Set<string>(["UTC"]);
  const parse = ({ line, get }: EventFields): KeyedEvent => {
    const user = get("user");
    if (!user) throw new ImportError(file, line, "user is empty");
    const kind = eventKindOfWord(get("kind"));
    if (!kind) throw new ImportError(file, line, `kind must be one of ${Object.keys(EVENT_KIND_WORDS).join(", ")}, got '${get("kind")}'`);
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
    if (!track && EVENT_MEANING[kind].needsTrack) throw new ImportError(file, line, `a ${get("kind").toLowerCase()} event needs a track`);
    if (!track && !artist) throw new ImportError(file, line, "needs a track or an artist");
    const numberOrNull = (name: string) => {
      const v = get(name);
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new ImportError(file, line, `${name} must be a non-negative integer, got '${v}'`);
      return n;
    };
    const msPlayed = numberOrNull("ms_played");
    const playlistId = numberOrNull("playlist_id"),
      position = numberOrNull("position");
    const durationMs = numberOrNull("duration_ms") ?? 0;
    const timeZone = get("time_zone") || "UTC";
    if (!zones.has(timeZone)) {
      try {
        new Intl.DateTimeFormat("en", { timeZone });
      } catch {
        throw new ImportError(file, line, `time_zone must be an IANA time zone, got '${timeZone}'`);
      }
      zones.add(timeZone);
    }
    const eventId = get("event_id") || createHash("sha1").update(`${user}|${track}|${artist}|${kind}|${occurredAt.toISOString()}`).digest("hex");
    return {
      line,
      eventId,
      user,
      userName: get("user_name") || user,
      timeZone,
      track,
      trackTitle: get("track_title") || null,
      artist,
      durationMs,
      kind,
      occurredAt,
      msPlayed,
      playlistId,
      position,
    };
  };

  const column: Record<string, string> = { playlistId: "playlist_id", trackId: "track", artistId: "artist", position: "position" };
  const result = await db.transaction(async (query, copyRows) => {
    if (db.target === "postgres") await query(`SET LOCAL work_mem = '${MERGE_WORK_MEM}'`);
    const loader = await EventFileLoader.open(query, copyRows, {
      errorAt: (line, problem) => new ImportError(file, line, problem),
      // Events naming a weekly playlist slot, checked per listener as recordEvents checks them.
      checkContexts: async (query, events) => {
        const byUser = new Map<number, typeof events>();
        for (const e of events) {
          const list = byUser.get(e.userId);
          if (list) list.push(e);
          else byUser.set(e.userId, [e]);
        }
        for (const [userId, list] of byUser) {
          try {
            await checkPlaylistContexts(
              query,
              userId,
              list.map(({ event, trackId, artistId }) => ({ playlistId: event.playlistId, position: event.position, kind: event.kind, trackId, artistId })),
              () => "",
            );
          } catch (error) {
            if (error instanceof PlaylistContextError)
              throw new ImportError(file, list[error.index].event.line, `${column[error.field] ?? error.field}: ${error.problem}`);
            throw error;
          }
        }
      },
    });
    let read = 0;
    try {
      for await (const row of rows) {
        if (loader.add(parse(row))) {
          await loader.flush();
          read = loader.staged;
          onProgress(`${read.toLocaleString("en")} events read`, bytes.read, bytes.size);
        }
      }
      onProgress(`recording ${loader.staged.toLocaleString("en")} events`, bytes.size, bytes.size);
      const inserted = await loader.finish();
      read = loader.staged;
      return { read, created: { artists: loader.createdArtists, tracks: loader.createdTracks, events: inserted } };
    } catch (error) {
      // Nothing more goes to the connection before the rollback.
      await loader.abort();
      throw error;
    }
  });
  // The next step (a weekly run, a preview) queries what was just loaded (db/statistics.ts).
  onProgress("updating planner statistics", bytes.size, bytes.size);
  await refreshPlannerStatistics(db);
  onProgress("done", bytes.size, bytes.size);
  return {
    source,
    created: result.created,
    skipped: { alreadyRecordedEvents: result.read - result.created.events },
    seconds: (Date.now() - started) / 1000,
  };
}
