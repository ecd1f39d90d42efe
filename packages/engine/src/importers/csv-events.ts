import { statSync } from "node:fs";
import { basename } from "node:path";
import { refreshPlannerStatistics, type Database } from "@deepcuts/db";
import { withImportHeapGrowth } from "../heap-growth.ts";
import { EventFileLoader, MERGE_WORK_MEM } from "../ingest-bulk.ts";
import { FILE_COPY_BATCH } from "./event-batches.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import { readEventBatches, type EventFileFormat } from "./event-reader.ts";
import type { Progress } from "../progress.ts";
import { checkPlaylistContexts, PlaylistContextError } from "../listener/outcomes.ts";

/**
 * Imports a CSV of listening events. Columns (header row, any order): user, kind, occurred_at
 * (ISO 8601) and track (or artist for artist visits and dislikes) are required; event_id,
 * user_name, time_zone, track_title, artist, duration_ms and ms_played are optional; playlist_id
 * and position (0-based) name the listener's weekly playlist slot the event is the outcome of
 * (checked as recordEvents checks them: listener/outcomes.ts). Unknown
 * users are created; unknown tracks are created when the row names their artist. Every row is
 * checked before its batch is written, and the whole file is written in one transaction.
 */
export function importEventsCsv(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  return heapCapped(db, () => importEventRows(db, path, "csv", onProgress));
}

/**
 * Imports a JSON-lines file of listening events: one object per line with the CSV's columns as
 * keys (`{"user": "u1", "kind": "stream", "track": "t9", "occurred_at": "...", "playlist_id": 7,
 * "position": 3}`), strings or numbers, checked by the same rules and written the same way.
 */
export function importEventsJsonl(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  return heapCapped(db, () => importEventRows(db, path, "jsonl", onProgress));
}

/** An events file by its name: JSON lines (`.jsonl`, `.ndjson`) or CSV (anything else). */
export function importEvents(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  return /\.(jsonl|ndjson)$/i.test(path) ? importEventsJsonl(db, path, onProgress) : importEventsCsv(db, path, onProgress);
}

/** In-process PGlite shares this process's memory: the JS heap's growth is capped while an embedded import runs (heap-growth.ts). */
function heapCapped<T>(db: Database, work: () => Promise<T>): Promise<T> {
  return db.target === "embedded" ? withImportHeapGrowth(work) : work();
}

/** Rows per batch: each batch goes to the database as one COPY while the reader parses on. */
export const PARSE_BATCH = FILE_COPY_BATCH;

/**
 * Reads and checks the rows inside one transaction and stages them by key (EventFileLoader):
 * batches go out by COPY while the reader parses on, and each merge creates the file's new
 * listeners, artists and tracks and records the events and their aggregates in set-based
 * statements. Memory stays flat whatever the file's length (bounded batches and key caches),
 * and a bad row anywhere rolls the whole file back. A PostgreSQL server does its part in its own
 * process while this thread parses; in-process PGlite takes turns with the reader on this thread
 * (a reader in a worker thread gained 3-34% and peaked 70-100 MiB higher, over 500 MiB on a
 * 10M-event file: docs/benchmarks.md, "The events reader back on the importing thread").
 */
async function importEventRows(db: Database, path: string, format: EventFileFormat, onProgress: Progress): Promise<ImportReport> {
  const started = Date.now();
  const file = basename(path);
  const size = statSync(path).size;
  const column: Record<string, string> = { playlistId: "playlist_id", trackId: "track", artistId: "artist", position: "position" };
  const result = await db.transaction(async (query, copyRows) => {
    if (db.target === "postgres") await query(`SET LOCAL work_mem = '${MERGE_WORK_MEM}'`);
    const loader = await EventFileLoader.open(query, copyRows, {
      copyBatch: PARSE_BATCH,
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
    const now = new Date();
    const batches = readEventBatches(path, format, now, { copyBatch: PARSE_BATCH });
    try {
      for await (const { batch, bytesRead } of batches) {
        await loader.flushBatch(batch);
        onProgress(`${loader.staged.toLocaleString("en")} events read`, bytesRead, size);
      }
      onProgress(`recording ${loader.staged.toLocaleString("en")} events`, size, size);
      const inserted = await loader.finish();
      return { read: loader.staged, created: { artists: loader.createdArtists, tracks: loader.createdTracks, events: inserted } };
    } catch (error) {
      // Nothing more goes to the connection before the rollback.
      await loader.abort();
      throw error;
    }
  });
  // The next step (a weekly run, a preview) queries what was just loaded (db/statistics.ts).
  onProgress("updating planner statistics", size, size);
  await refreshPlannerStatistics(db);
  onProgress("done", size, size);
  return {
    source: `${format}:${path}`,
    created: result.created,
    skipped: { alreadyRecordedEvents: result.read - result.created.events },
    seconds: (Date.now() - started) / 1000,
  };
}
