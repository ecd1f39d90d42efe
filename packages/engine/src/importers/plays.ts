import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { refreshPlannerStatistics, type Database } from "@deepcuts/db";
import { upsertUsers, type EventRow } from "../ingest.ts";
import { STREAM_COUNTS_FROM_MS } from "../events/kinds.ts";
import { EventBulkLoader } from "../ingest-bulk.ts";
import { backfillMatchKeys, TrackResolver, type SongIdentity } from "../identity/resolve.ts";
import { InstantError } from "../validation/instant.ts";
import { checkText, TEXT_LIMITS, TextError } from "../validation/text.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import type { Progress } from "../progress.ts";

/** One play read from a listening-history file. */
export interface Play extends SongIdentity {
  line: number;
  occurredAt: Date;
  /** How long it played, when the source says. */
  msPlayed: number | null;
  /** The source says the listener skipped it. */
  skipped: boolean;
  /** Identifies the play within its source (with occurredAt), so a re-import records nothing new. */
  sourceKey: string;
}

/** A row that is valid but not a song play (podcast episode, now playing...): counted, not stored. */
export interface SkippedRow {
  skip: string;
}

export type PlayRow = Play | SkippedRow;

/**
 * A play a scrobbling service counted (Last.fm, ListenBrainz): a stream of unknown length (both
 * record one only after half the track or 4 minutes), told apart within its source by the id the
 * source gives, else by artist and title.
 */
export function countedPlay(play: Omit<Play, "msPlayed" | "skipped" | "sourceKey"> & { sourceKey?: string | null }): Play {
  return { ...play, msPlayed: null, skipped: false, sourceKey: play.sourceKey ?? `${play.artist}\t${play.title}` };
}

/** STREAM, or SKIP when the source says skipped or it played under 30 s. */
export function playKind(play: Pick<Play, "msPlayed" | "skipped">): "STREAM" | "SKIP" {
  return play.skipped || (play.msPlayed !== null && play.msPlayed < STREAM_COUNTS_FROM_MS) ? "SKIP" : "STREAM";
}

export interface PlayImportOptions {
  /** The listener these plays belong to (created when new). */
  user: { externalKey: string; name?: string; timeZone?: string };
  onProgress?: Progress;
}

const BATCH = 2_000;

/**
 * Turns a validation error of the shared rules (instants, text) into an ImportError at `line`.
 * Other errors pass through.
 */
export function atLine(file: string, line: number, work: () => void): void {
  try {
    work();
  } catch (error) {
    if (error instanceof InstantError || error instanceof TextError) throw new ImportError(file, line, error.message);
    throw error;
  }
}

/** Checks the free-text fields every play has: artist, title, album. */
export function checkSongText(file: string, line: number, fields: Record<string, string | null | undefined>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    atLine(file, line, () => checkText(value, field, field.includes("album") ? { ...TEXT_LIMITS.name, required: false } : TEXT_LIMITS.name));
  }
}

/**
 * Imports one file of plays for one listener: reads it as a stream, resolves each song to a track
 * (TrackResolver) and stages the plays as events in batches for one COPY-and-merge
 * (EventBulkLoader), all inside one transaction, so a
 * bad row anywhere leaves the database as it was. Event ids come from the play's source key
 * and time, so importing the file again records nothing new.
 */
export async function importPlays(
  db: Database,
  path: string,
  format: string,
  rows: (onBytes: (bytes: number) => void) => AsyncIterable<PlayRow>,
  options: PlayImportOptions,
): Promise<ImportReport> {
  const started = Date.now();
  const size = (await stat(path)).size;
  const onProgress = options.onProgress ?? (() => {});
  checkText(options.user.externalKey, "user", TEXT_LIMITS.key);
  if (options.user.name !== undefined) checkText(options.user.name, "user name", TEXT_LIMITS.name);
  const skipped: Record<string, number> = {};
  const created = await db.transaction(async (query, copyRows) => {
    // Songs are matched by name against committed artists and tracks only: two imports at once
    // (IMPORT jobs on several workers) each missed the other's new rows and made their own, so a
    // song named by different ids became two tracks. One import at a time finds the earlier's.
    await query(`SELECT pg_advisory_xact_lock(hashtext('deepcuts.track-identity'))`);
    await backfillMatchKeys(query);
    const before = await query<{ users: number }>(`SELECT count(*)::int AS users FROM users`);
    const users = await upsertUsers(query, [
      { externalKey: options.user.externalKey, name: options.user.name ?? options.user.externalKey, timeZone: options.user.timeZone },
    ]);
    const userId = users.get(options.user.externalKey)!;
    const resolver = new TrackResolver(query);
    const loader = await EventBulkLoader.open(query, copyRows);
    let streams = 0,
      skips = 0,
      plays = 0;
    let batch: Play[] = [];
    // Identical plays at the same instant (Last.fm and old Spotify files count minutes) stay apart.
    let lastInstant = -1;
    const repeats = new Map<string, number>();
    const flush = async () => {
      if (batch.length === 0) return;
      const trackIds = await resolver.resolve(batch);
      const events: EventRow[] = batch.map((play, i) => {
        const at = play.occurredAt.getTime();
        if (at !== lastInstant) {
          repeats.clear();
          lastInstant = at;
        }
        const key = `${format}|${at}|${play.sourceKey}`;
        const n = repeats.get(key) ?? 0;
        repeats.set(key, n + 1);
        const kind = playKind(play);
        if (kind === "SKIP") skips++;
        else streams++;
        return {
          userId,
          eventId: `${format}:${createHash("sha1").update(`${key}|${n}`).digest("hex")}`,
          kind,
          trackId: trackIds[i],
          occurredAt: play.occurredAt,
          msPlayed: play.msPlayed,
        };
      });
      await loader.add(events);
      plays += batch.length;
      batch = [];
    };
    for await (const row of rows((bytes) => onProgress(`${plays} plays`, bytes, size))) {
      if ("skip" in row) {
        skipped[row.skip] = (skipped[row.skip] ?? 0) + 1;
        continue;
      }
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    // One set-based merge: the new events and this listener's aggregates.
    const inserted = await loader.merge();
    const after = await query<{ users: number }>(`SELECT count(*)::int AS users FROM users`);
    return {
      users: after[0].users - before[0].users,
      artists: resolver.created.artists,
      tracks: resolver.created.tracks,
      events: inserted,
      plays,
      streams,
      skips,
    };
  });
  // The next step (a weekly run, a preview) queries what was just loaded (db/statistics.ts).
  await refreshPlannerStatistics(db);
  onProgress("done", size, size);
  const { plays, streams, skips, ...rest } = created;
  return {
    source: `${format}:${path}`,
    created: rest,
    skipped: { ...skipped, alreadyRecordedPlays: plays - rest.events },
    read: { plays, streams, skips },
    seconds: (Date.now() - started) / 1000,
  };
}
