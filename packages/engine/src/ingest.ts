import type { Database } from "@deepcuts/db";
import { matchTitle, normaliseArtist } from "./identity/normalise.ts";
import { EVENT_MEANING, kindsCounting, sqlKindIn, type ArtistCounter, type EventKindName, type TrackCounter } from "./events/kinds.ts";

export type { EventKindName };

// Bulk paths write with multi-row INSERT ... SELECT FROM unnest(...): 10-20x faster than
// Prisma's createMany. Every insert is keyed by an external id and ignores conflicts, so
// running an import twice changes nothing.

type Query = Database["query"];

export interface UserRow {
  externalKey: string;
  name: string;
  timeZone?: string;
}
export interface ArtistRow {
  externalKey: string;
  name: string;
  genre?: string | null;
  url?: string | null;
}
export interface TrackRow {
  externalKey: string;
  title: string;
  artistId: number;
  durationMs: number;
  releaseDate?: Date | null;
  audioPath?: string | null;
  genre?: string | null;
  metadata?: unknown;
}
export interface DocumentRow {
  externalKey: string;
  entityKind: "ARTIST" | "TRACK";
  artistId?: number | null;
  trackId?: number | null;
  source: "BIO" | "REVIEW" | "BLOG" | "TAG" | "OTHER" | "NEWS";
  text: string;
}
export interface EventRow {
  userId: number;
  eventId: string;
  kind: EventKindName;
  trackId?: number | null;
  artistId?: number | null;
  occurredAt: Date;
  msPlayed?: number | null;
  /** The weekly playlist slot the event is the outcome of (checked by the caller: listener/outcomes.ts). */
  playlistId?: number | null;
  position?: number | null;
}

const BATCH = 20_000;

/** Yields to the event loop: in-process PGlite otherwise starves timers during long imports. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `write` on `rows` in batches of BATCH, letting the event loop in between; returns the sum of the counts it gave. */
async function countInBatches<R>(rows: R[], write: (batch: R[]) => Promise<number | void>): Promise<number> {
  let counted = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    counted += (await write(rows.slice(i, i + BATCH))) ?? 0;
    await yieldToLoop();
  }
  return counted;
}

async function idsByKey(query: Query, table: string, keys: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += BATCH) {
    const rows = await query<{ id: number; external_key: string }>(`SELECT id, external_key FROM ${table} WHERE external_key = ANY($1::text[])`, [
      keys.slice(i, i + BATCH),
    ]);
    for (const r of rows) out.set(r.external_key, r.id);
  }
  return out;
}

/**
 * Inserts the rows of `table` that are new by external key, in batches (`columns`: each column's
 * SQL array type and its value per row), and returns every row's id by key.
 */
async function upsertByKey<R extends { externalKey: string }>(
  query: Query,
  table: string,
  rows: R[],
  columns: [name: string, type: string, value: (row: R) => unknown][],
): Promise<Map<string, number>> {
  // Nothing to write or look up: no query (on a shared connection it would wait for the queries before it).
  if (rows.length === 0) return new Map();
  const names = columns.map(([name]) => name).join(", ");
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}`).join(", ");
  await countInBatches(rows, async (b) => {
    await query(
      `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ON CONFLICT (external_key) DO NOTHING`,
      columns.map(([, , value]) => b.map(value)),
    );
  });
  return idsByKey(
    query,
    table,
    rows.map((r) => r.externalKey),
  );
}

export function upsertUsers(query: Query, rows: UserRow[]): Promise<Map<string, number>> {
  return upsertByKey(query, "users", rows, [
    ["external_key", "text[]", (r) => r.externalKey],
    ["name", "text[]", (r) => r.name],
    ["time_zone", "text[]", (r) => r.timeZone ?? "UTC"],
  ]);
}

export function upsertArtists(query: Query, rows: ArtistRow[]): Promise<Map<string, number>> {
  return upsertByKey(query, "artists", rows, [
    ["external_key", "text[]", (r) => r.externalKey],
    ["name", "text[]", (r) => r.name],
    ["genre", "text[]", (r) => r.genre ?? null],
    ["url", "text[]", (r) => r.url ?? null],
    ["match_name", "text[]", (r) => normaliseArtist(r.name)],
  ]);
}

export function upsertTracks(query: Query, rows: TrackRow[]): Promise<Map<string, number>> {
  return upsertByKey(query, "tracks", rows, [
    ["external_key", "text[]", (r) => r.externalKey],
    ["title", "text[]", (r) => r.title],
    ["artist_id", "int[]", (r) => r.artistId],
    ["duration_ms", "int[]", (r) => r.durationMs],
    ["release_date", "date[]", (r) => (r.releaseDate ? r.releaseDate.toISOString().slice(0, 10) : null)],
    ["audio_path", "text[]", (r) => r.audioPath ?? null],
    ["genre", "text[]", (r) => r.genre ?? null],
    ["metadata", "jsonb[]", (r) => (r.metadata === undefined ? null : JSON.stringify(r.metadata))],
    ["match_title", "text[]", (r) => matchTitle(r.title)],
  ]);
}

/** Inserts documents that are new (by external key); returns how many were new. */
export function insertDocuments(query: Query, rows: DocumentRow[]): Promise<number> {
  return countInBatches(rows, async (b) => {
    const [{ n }] = await query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO documents (external_key, entity_kind, artist_id, track_id, source, text)
         SELECT * FROM unnest($1::text[], $2::text[]::"EntityKind"[], $3::int[], $4::int[], $5::text[]::"DocumentSource"[], $6::text[])
         ON CONFLICT (external_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        b.map((r) => r.externalKey),
        b.map((r) => r.entityKind),
        b.map((r) => r.artistId ?? null),
        b.map((r) => r.trackId ?? null),
        b.map((r) => r.source),
        b.map((r) => r.text),
      ],
    );
    return n;
  });
}

/** The SQL count of the inserted events that add one to `counter`, by their meaning (events/kinds.ts). */
function countOf(counter: { track: TrackCounter } | { artist: ArtistCounter }): string {
  const kinds = kindsCounting(counter);
  const artistOnly = "artist" in counter ? kinds.filter((k) => EVENT_MEANING[k].artistOnly) : [];
  const anyEvent = kinds.filter((k) => !artistOnly.includes(k));
  return `(count(*) FILTER (WHERE ${sqlKindIn(anyEvent)} OR (${sqlKindIn(artistOnly)} AND track_id IS NULL)))::int`;
}

/**
 * One statement that records the events of `input` (a FROM item aliased `e` with the columns of
 * listening_events: user_id, event_id, kind, track_id, artist_id, occurred_at, ms_played,
 * playlist_id, position) and folds the new ones into the per-listener aggregates. An event whose
 * (user, eventId) was seen before is ignored, so a retried batch or file counts once. Rows go in
 * sorted by (user_id, event_id), so the unique index is written in order. Returns `inserted`.
 * An event with a track and no artist takes the track's artist; `artistsResolved` says that
 * `input` has done so already (the file loader's join), which saves the join here.
 */
export function mergeEventsSql(input: string, options: { artistsResolved?: boolean } = {}): string {
  const source = options.artistsResolved
    ? `SELECT e.user_id, e.event_id, e.kind, e.track_id, e.artist_id, e.occurred_at, e.ms_played, e.playlist_id, e.position FROM ${input}`
    : `SELECT e.user_id, e.event_id, e.kind, e.track_id, coalesce(e.artist_id, t.artist_id), e.occurred_at, e.ms_played, e.playlist_id, e.position
       FROM ${input} LEFT JOIN tracks t ON t.id = e.track_id`;
  return `WITH inserted AS (
       INSERT INTO listening_events (user_id, event_id, kind, track_id, artist_id, occurred_at, ms_played, playlist_id, position)
       ${source}
       ORDER BY e.user_id, e.event_id
       ON CONFLICT (user_id, event_id) DO NOTHING
       RETURNING user_id, kind, track_id, artist_id, occurred_at, ms_played
     ), track_stats AS (
       INSERT INTO user_track_stats AS s (user_id, track_id, streams, saves, skips, dislikes, ms_played, last_at)
       SELECT user_id, track_id,
              ${countOf({ track: "streams" })}, ${countOf({ track: "saves" })}, ${countOf({ track: "skips" })}, ${countOf({ track: "dislikes" })},
              coalesce(sum(ms_played) FILTER (WHERE ${sqlKindIn(kindsCounting({ track: "streams" }))}), 0), max(occurred_at)
       FROM inserted WHERE track_id IS NOT NULL GROUP BY user_id, track_id
       ON CONFLICT (user_id, track_id) DO UPDATE SET
         streams = s.streams + excluded.streams, saves = s.saves + excluded.saves,
         skips = s.skips + excluded.skips, dislikes = s.dislikes + excluded.dislikes,
         ms_played = s.ms_played + excluded.ms_played, last_at = greatest(s.last_at, excluded.last_at)
       RETURNING 1
     ), artist_stats AS (
       INSERT INTO user_artist_stats AS s (user_id, artist_id, plays, visits, dislikes, last_at)
       SELECT user_id, artist_id,
              ${countOf({ artist: "plays" })}, ${countOf({ artist: "visits" })}, ${countOf({ artist: "dislikes" })}, max(occurred_at)
       FROM inserted WHERE artist_id IS NOT NULL GROUP BY user_id, artist_id
       ON CONFLICT (user_id, artist_id) DO UPDATE SET
         plays = s.plays + excluded.plays, visits = s.visits + excluded.visits,
         dislikes = s.dislikes + excluded.dislikes, last_at = greatest(s.last_at, excluded.last_at)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM inserted)::int AS inserted,
            (SELECT count(*) FROM track_stats)::int AS track_rows,
            (SELECT count(*) FROM artist_stats)::int AS artist_rows`;
}

/**
 * Records listening events and folds the new ones into the per-listener aggregates in one
 * statement (mergeEventsSql). An event whose (user, eventId) was seen before is ignored, so a
 * retried batch counts once. Returns the number of events that were new. For files, the COPY
 * path in ingest-bulk.ts runs the same statement over a staging table.
 */
export async function insertEvents(query: Query, rows: EventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await query<{ inserted: number }>(
    mergeEventsSql(
      `unnest($1::int[], $2::text[], $3::text[]::"EventKind"[], $4::int[], $5::int[], $6::timestamptz[], $7::int[], $8::int[], $9::int[])
         AS e(user_id, event_id, kind, track_id, artist_id, occurred_at, ms_played, playlist_id, position)`,
    ),
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.kind),
      rows.map((r) => r.trackId ?? null),
      rows.map((r) => r.artistId ?? null),
      rows.map((r) => r.occurredAt.toISOString()),
      rows.map((r) => r.msPlayed ?? null),
      rows.map((r) => r.playlistId ?? null),
      rows.map((r) => r.position ?? null),
    ],
  );
  return result[0].inserted;
}

/** Artist-level play counts (Last.fm 2K); existing rows are left as they are. */
export function insertArtistPlays(query: Query, rows: { userId: number; artistId: number; plays: number }[], at: Date): Promise<number> {
  return countInBatches(rows, async (b) => {
    const [{ n }] = await query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO user_artist_stats (user_id, artist_id, plays, visits, dislikes, last_at)
         SELECT u, a, p, 0, 0, $4::timestamptz FROM unnest($1::int[], $2::int[], $3::int[]) AS x(u, a, p)
         ON CONFLICT (user_id, artist_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [b.map((x) => x.userId), b.map((x) => x.artistId), b.map((x) => x.plays), at.toISOString()],
    );
    return n;
  });
}
