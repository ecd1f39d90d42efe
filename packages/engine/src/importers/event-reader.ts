import { createHash } from "node:crypto";
import { basename } from "node:path";
import { EVENT_KIND_WORDS, EVENT_MEANING, eventKindOfWord } from "../events/kinds.ts";
import { EventBatchBuilder, type EventBatch, type EventBatchOptions, type KeyedEvent } from "./event-batches.ts";
import { readCsvRows } from "./csv.ts";
import { readJsonLines } from "./json-stream.ts";
import { ImportError } from "./import-error.ts";
import { InstantError, parseIsoInstant } from "../validation/instant.ts";
import { checkText, TEXT_LIMITS, TextError, type TextRule } from "../validation/text.ts";

/**
 * Reading an events file (CSV or JSON lines) into checked events and batches of COPY text, with
 * no database: the importing thread's loader (ingest-bulk.ts) sends the batches.
 */

export type EventFileFormat = "csv" | "jsonl";

/** A batch of a file's events and how far into the file (bytes) the reader was when it was full. */
export interface EventBatchRead {
  batch: EventBatch;
  bytesRead: number;
}

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

/** One row of an events file: its line and its fields by column name ("" when absent). */
interface EventFields {
  line: number;
  get: (name: string) => string;
}

/** The rows of a CSV events file; its header is checked first (columns in any order). */
async function* csvFields(path: string, file: string, onBytes: (read: number) => void): AsyncGenerator<EventFields> {
  const rows = readCsvRows(path, file, { onBytes });
  const first = await rows.next();
  if (first.done) throw new ImportError(file, 1, "empty file: expected a header row");
  const header = first.value.cells.map((h) => h.trim().toLowerCase());
  for (const h of header) if (!KNOWN.has(h)) throw new ImportError(file, 1, `unknown column '${h}' (known: ${[...KNOWN].join(", ")})`);
  for (const r of REQUIRED) if (!header.includes(r)) throw new ImportError(file, 1, `missing required column '${r}'`);
  if (!header.includes("track") && !header.includes("artist")) throw new ImportError(file, 1, "needs a 'track' or an 'artist' column");
  const column = new Map(header.map((name, i) => [name, i]));
  for await (const { cells, line } of rows) {
    if (cells.length !== header.length) throw new ImportError(file, line, `expected ${header.length} fields, got ${cells.length}`);
    yield new CsvEventFields(line, cells, column);
  }
}

/** A CSV row's fields by column name (a class, not a closure per row: the reader makes millions). */
class CsvEventFields implements EventFields {
  constructor(
    readonly line: number,
    private readonly cells: string[],
    private readonly column: Map<string, number>,
  ) {}

  get(name: string): string {
    const i = this.column.get(name);
    return i === undefined ? "" : this.cells[i].trim();
  }
}

/** The rows of a JSON-lines events file: one object per line with the CSV's columns as keys, strings or numbers. */
async function* jsonlFields(path: string, file: string, onBytes: (read: number) => void): AsyncGenerator<EventFields> {
  for await (const { value, line } of readJsonLines(path, file, onBytes)) {
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

/** A non-negative whole number from a row's field, null when it is empty; anything else names the field and the line. */
function countOrNull(row: EventFields, file: string, name: string): number | null {
  const v = row.get(name);
  if (v === "") return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ImportError(file, row.line, `${name} must be a non-negative integer, got '${v}'`);
  return n;
}

/** Checks one row and turns it into an event named by keys; a bad row throws an ImportError naming its line. */
function eventParser(file: string, now: Date): (row: EventFields) => KeyedEvent {
  const zones = new Set<string>(["UTC"]);
  return (row) => {
    const line = row.line;
    const user = row.get("user");
    if (!user) throw new ImportError(file, line, "user is empty");
    const kind = eventKindOfWord(row.get("kind"));
    if (!kind) throw new ImportError(file, line, `kind must be one of ${Object.keys(EVENT_KIND_WORDS).join(", ")}, got '${row.get("kind")}'`);
    let occurredAt: Date;
    try {
      occurredAt = parseIsoInstant(row.get("occurred_at"), "occurred_at", now);
    } catch (error) {
      if (error instanceof InstantError) throw new ImportError(file, line, error.message);
      throw error;
    }
    for (const [name, rule] of TEXT_COLUMNS) {
      try {
        checkText(row.get(name), name, rule);
      } catch (error) {
        if (error instanceof TextError) throw new ImportError(file, line, error.message);
        throw error;
      }
    }
    const track = row.get("track") || null;
    const artist = row.get("artist") || null;
    if (!track && EVENT_MEANING[kind].needsTrack) throw new ImportError(file, line, `a ${row.get("kind").toLowerCase()} event needs a track`);
    if (!track && !artist) throw new ImportError(file, line, "needs a track or an artist");
    const msPlayed = countOrNull(row, file, "ms_played");
    const playlistId = countOrNull(row, file, "playlist_id"),
      position = countOrNull(row, file, "position");
    const durationMs = countOrNull(row, file, "duration_ms") ?? 0;
    const timeZone = row.get("time_zone") || "UTC";
    if (!zones.has(timeZone)) {
      try {
        new Intl.DateTimeFormat("en", { timeZone });
      } catch {
        throw new ImportError(file, line, `time_zone must be an IANA time zone, got '${timeZone}'`);
      }
      zones.add(timeZone);
    }
    const eventId = row.get("event_id") || createHash("sha1").update(`${user}|${track}|${artist}|${kind}|${occurredAt.toISOString()}`).digest("hex");
    return {
      line,
      eventId,
      user,
      userName: row.get("user_name") || user,
      timeZone,
      track,
      trackTitle: row.get("track_title") || null,
      artist,
      durationMs,
      kind,
      occurredAt,
      msPlayed,
      playlistId,
      position,
    };
  };
}

/**
 * Reads, checks and batches an events file on this thread. `now` bounds the instants accepted
 * (none in the future: validation/instant.ts). A bad row anywhere throws an ImportError naming its
 * file and line, after the batches before it were handed out.
 */
export async function* readEventBatches(path: string, format: EventFileFormat, now: Date, options: EventBatchOptions = {}): AsyncGenerator<EventBatchRead> {
  const file = basename(path);
  let bytesRead = 0;
  const onBytes = (read: number) => {
    bytesRead = read;
  };
  const parse = eventParser(file, now);
  const builder = new EventBatchBuilder(options);
  for await (const row of format === "csv" ? csvFields(path, file, onBytes) : jsonlFields(path, file, onBytes)) {
    if (builder.add(parse(row))) yield { batch: builder.take()!, bytesRead };
  }
  const last = builder.take();
  if (last) yield { batch: last, bytesRead };
}
