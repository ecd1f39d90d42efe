import { copyNumber, copyText, type CopyRows, type Database } from "@deepcuts/db";
import { FILE_COPY_BATCH, MERGE_EVERY, type EventBatch, type EventBatchOptions, type KeyedEvent } from "./importers/event-batches.ts";
import { mergeEventsSql, yieldToLoop, type EventRow } from "./ingest.ts";

type Query = Database["query"];

const COLUMNS = ["user_id", "event_id", "kind", "track_id", "artist_id", "occurred_at", "ms_played", "playlist_id", "position"];
/** Rows per COPY: about 5 MB of text, so memory stays flat whatever the file's size. */
export const COPY_BATCH = 50_000;
/**
 * work_mem of a file import's transaction on a PostgreSQL server: the merge's sort and groupings
 * of MERGE_EVERY rows fit in memory instead of spilling to temporary files (about 4% of the
 * server's CPU per event; docs/benchmarks.md, "Bulk event import by COPY"). Not set on the
 * embedded database, whose memory is the process's own.
 */
export const MERGE_WORK_MEM = "64MB";

let stagingTables = 0;

/**
 * Bulk path for listening events: rows stream into a temporary staging table in bounded batches
 * (`copyRows`: COPY, or one multi-row INSERT on PGlite behind its socket server), then `merge()`
 * moves them into listening_events in one set-based statement that ignores event ids seen before
 * and folds only the new events into the per-listener aggregates (mergeEventsSql, the same
 * statement `insertEvents` runs per batch), each MERGE_EVERY rows and at the end. Use it inside
 * one transaction: the staging table is dropped at commit, and a failure anywhere (a bad row
 * after batches were merged included) leaves stored data as it was.
 */
export class EventBulkLoader {
  private text: string[] = [];
  private inFlight: Promise<void> | null = null;
  private failure: Error | null = null;
  private merged = false;
  /** Rows in the staging table, not merged yet. */
  private unmerged = 0;
  /** Events recorded by the merges so far (new ones only). */
  private inserted = 0;
  /** Events handed to `add` so far. */
  staged = 0;

  private constructor(
    private readonly query: Query,
    private readonly copyRows: CopyRows,
    private readonly table: string,
    private readonly copyBatch: number,
    private readonly mergeEvery: number,
  ) {}

  /** Creates the staging table in the current transaction (`copyRows` from `db.transaction`). */
  static async open(query: Query, copyRows: CopyRows, sizes: { copyBatch?: number; mergeEvery?: number } = {}): Promise<EventBulkLoader> {
    // Unique per process too: behind pglite-socket every connection shares one session and its temporary tables.
    const table = `event_staging_${process.pid}_${++stagingTables}`;
    await query(
      `CREATE TEMPORARY TABLE ${table} (user_id int NOT NULL, event_id text NOT NULL, kind "EventKind" NOT NULL, track_id int, artist_id int,
         occurred_at timestamptz NOT NULL, ms_played int, playlist_id int, position int) ON COMMIT DROP`,
    );
    return new EventBulkLoader(query, copyRows, table, sizes.copyBatch ?? COPY_BATCH, sizes.mergeEvery ?? MERGE_EVERY);
  }

  /** Stages events; a batch goes to the database each `copyBatch` rows, while the caller reads on. */
  async add(rows: EventRow[]): Promise<void> {
    if (this.merged) throw new Error("EventBulkLoader: add after merge");
    for (const r of rows) {
      this.text.push(
        `${r.userId}\t${copyText(r.eventId)}\t${r.kind}\t${copyNumber(r.trackId)}\t${copyNumber(r.artistId)}\t${r.occurredAt.toISOString()}\t` +
          `${copyNumber(r.msPlayed)}\t${copyNumber(r.playlistId)}\t${copyNumber(r.position)}\n`,
      );
      if (this.text.length >= this.copyBatch) await this.flush();
    }
    this.staged += rows.length;
  }

  /** Sends the pending rows; keeps one batch in flight so parsing the next overlaps the database's work. */
  private async flush(): Promise<void> {
    await this.settle();
    if (this.text.length === 0) return;
    const lines = this.text;
    this.text = [];
    this.unmerged += lines.length;
    this.inFlight = this.copyRows(this.table, COLUMNS, lines.join("")).catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
    });
    if (this.unmerged >= this.mergeEvery) await this.mergeStaged();
  }

  /** Moves the staged rows into listening_events and the aggregates, and empties the staging table. */
  private async mergeStaged(): Promise<void> {
    await this.settle();
    if (this.unmerged === 0) return;
    const result = await this.query<{ inserted: number }>(mergeEventsSql(`${this.table} e`));
    this.inserted += result[0].inserted;
    this.unmerged = 0;
    await this.query(`TRUNCATE ${this.table}`);
  }

  private async settle(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.inFlight = null;
    if (this.failure) throw this.failure;
  }

  /**
   * Merges what is still staged (as each MERGE_EVERY rows were) and drops the staging table;
   * returns how many events were new in all (0 when the same events were loaded before).
   */
  async merge(): Promise<number> {
    await this.flush();
    await this.mergeStaged();
    this.merged = true;
    await this.query(`DROP TABLE ${this.table}`);
    return this.inserted;
  }
}

/** An event with a playlist context and the ids its keys stand for, for the caller's check. */
export interface ResolvedEvent {
  event: KeyedEvent;
  userId: number;
  trackId: number | null;
  artistId: number | null;
}

export interface EventFileLoaderOptions extends Pick<EventBatchOptions, "copyBatch" | "mergeEvery"> {
  /** The error to fail the file with for a problem found at `line` (the loader finds unknown tracks without an artist). */
  errorAt: (line: number, problem: string) => Error;
  /** Checks the events with a playlist context (slot of a weekly playlist) of one batch; throws to fail the file. */
  checkContexts?: (query: Query, events: ResolvedEvent[]) => Promise<void>;
}

/** Batches in one merge's worth of events, plus one: how far a reader may run ahead of the database. */
function mergeBatches(options: EventBatchOptions = {}): number {
  return Math.ceil((options.mergeEvery ?? MERGE_EVERY) / (options.copyBatch ?? FILE_COPY_BATCH)) + 1;
}

interface Stage {
  name: string;
  columns: string[];
  /** Column types in the staging table. */
  definitions: string[];
}

/**
 * The COPY path for an events file whose rows name listeners, tracks and artists by key. The
 * reader turns events into batches of COPY text (`EventBatchBuilder`) and hands them to
 * `flushBatch`; it never waits for an id. Batches go to the database by COPY while the reader
 * parses on: the database work is a chain of jobs on the transaction's connection, at most about
 * one merge's worth of batches ahead of it (`flushBatch` waits beyond that), so the reader's CPU
 * and the server's overlap. Each `mergeEvery` events, one
 * job creates the staged listeners, artists and tracks that do not exist yet (INSERT ... SELECT
 * DISTINCT ON ... ON CONFLICT DO NOTHING), fails the file at the first line naming an unknown
 * track without an artist, and merges the events joined to their ids by key (mergeEventsSql).
 * Memory is bounded by the queued batches and the key caches, whatever the file's length. Use it
 * inside one transaction; after a failure anywhere, `abort` before rolling back.
 */
export class EventFileLoader {
  private unmerged = 0;
  private catalogueStaged = false;
  /** Jobs handed to the connection and not finished, oldest first. */
  private readonly queue: Promise<void>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private stopped = false;
  private readonly mergeEvery: number;
  private readonly maxQueued: number;
  inserted = 0;
  createdArtists = 0;
  createdTracks = 0;
  /** Events handed to the connection so far. */
  staged = 0;

  private constructor(
    private readonly query: Query,
    private readonly copyRows: CopyRows,
    private readonly stages: { events: Stage; users: Stage; artists: Stage; tracks: Stage },
    private readonly options: EventFileLoaderOptions,
  ) {
    this.mergeEvery = options.mergeEvery ?? MERGE_EVERY;
    this.maxQueued = mergeBatches(options);
  }

  /** Creates the staging tables in the current transaction (`copyRows` from `db.transaction`). */
  static async open(query: Query, copyRows: CopyRows, options: EventFileLoaderOptions): Promise<EventFileLoader> {
    const base = `file_staging_${process.pid}_${++stagingTables}`;
    const stage = (suffix: string, columns: [string, string][]): Stage => ({
      name: `${base}_${suffix}`,
      columns: columns.map(([name]) => name),
      definitions: columns.map(([, definition]) => definition),
    });
    const stages = {
      events: stage("events", [
        ["user_key", "text NOT NULL"],
        ["event_id", "text NOT NULL"],
        ["kind", `"EventKind" NOT NULL`],
        ["track_key", "text"],
        ["artist_key", "text"],
        ["occurred_at", "timestamptz NOT NULL"],
        ["ms_played", "int"],
        ["playlist_id", "int"],
        ["position", "int"],
      ]),
      users: stage("users", [
        ["line", "int NOT NULL"],
        ["external_key", "text NOT NULL"],
        ["name", "text NOT NULL"],
        ["time_zone", "text NOT NULL"],
      ]),
      artists: stage("artists", [
        ["external_key", "text NOT NULL"],
        ["name", "text NOT NULL"],
        ["match_name", "text"],
      ]),
      tracks: stage("tracks", [
        ["line", "int NOT NULL"],
        ["external_key", "text NOT NULL"],
        ["title", "text NOT NULL"],
        ["artist_key", "text"],
        ["duration_ms", "int NOT NULL"],
        ["match_title", "text"],
      ]),
    };
    for (const s of Object.values(stages))
      await query(`CREATE TEMPORARY TABLE ${s.name} (${s.columns.map((c, i) => `${c} ${s.definitions[i]}`).join(", ")}) ON COMMIT DROP`);
    return new EventFileLoader(query, copyRows, stages, options);
  }

  /**
   * Hands a batch (`EventBatchBuilder.take()`) to the connection, and a merge each `mergeEvery`
   * events, then returns at once unless a merge's worth of batches (`mergeBatches`) is waiting:
   * then it waits for the oldest. Null hands nothing. Throws what failed on the connection since
   * the last call.
   */
  async flushBatch(batch: EventBatch | null): Promise<void> {
    this.throwIfFailed();
    if (batch) {
      this.staged += batch.rows;
      this.unmerged += batch.rows;
      this.enqueue(() => this.send(batch));
      if (this.unmerged >= this.mergeEvery) this.enqueueMerge();
    }
    while (this.queue.length > this.maxQueued) await this.queue[0];
    this.throwIfFailed();
    // In-process PGlite otherwise starves timers during long imports.
    await yieldToLoop();
  }

  /** Merges what is still staged and drops the staging tables; returns how many events were new (0 when all were stored before). */
  async finish(): Promise<number> {
    await this.flushBatch(null);
    if (this.unmerged > 0) this.enqueueMerge();
    const { events, users, artists, tracks } = this.stages;
    this.enqueue(() => this.query(`DROP TABLE ${events.name}, ${users.name}, ${artists.name}, ${tracks.name}`).then(() => {}));
    await this.tail;
    this.throwIfFailed();
    return this.inserted;
  }

  /** After a failure: runs no more queued jobs and waits for the one in progress, so the caller may roll back. */
  async abort(): Promise<void> {
    this.stopped = true;
    await this.tail;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private enqueue(job: () => Promise<void>): void {
    const done = this.tail
      .then(async () => {
        if (this.failure || this.stopped) return;
        try {
          await job();
        } catch (error) {
          this.failure ??= error instanceof Error ? error : new Error(String(error));
        }
      })
      .finally(() => {
        // Jobs end in order: the one ending is the oldest (its promise is this one, settled).
        void this.queue.shift();
      });
    this.tail = done;
    this.queue.push(done);
  }

  private enqueueMerge(): void {
    this.unmerged = 0;
    this.enqueue(() => this.mergeStaged());
  }

  private async send(batch: EventBatch): Promise<void> {
    const { events, users, artists, tracks } = this.stages;
    if (batch.users) await this.copy(users, batch.users);
    if (batch.artists) await this.copy(artists, batch.artists);
    if (batch.tracks) await this.copy(tracks, batch.tracks);
    if (batch.users || batch.artists || batch.tracks) this.catalogueStaged = true;
    if (batch.contexts.length > 0 && this.options.checkContexts) await this.checkContexts(batch.contexts);
    await this.copy(events, batch.events);
  }

  private async copy(stage: Stage, text: string): Promise<void> {
    await this.copyRows(stage.name, stage.columns, text);
  }

  /** Creates the staged listeners, artists and tracks that do not exist yet; fails at the first unknown track without an artist. */
  private async mergeCatalogue(): Promise<void> {
    if (!this.catalogueStaged) return;
    const { users, artists, tracks } = this.stages;
    await this.query(
      `INSERT INTO users (external_key, name, time_zone)
       SELECT DISTINCT ON (external_key) external_key, name, time_zone FROM ${users.name} ORDER BY external_key, line
       ON CONFLICT (external_key) DO NOTHING`,
    );
    const [{ n: newArtists }] = await this.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO artists (external_key, name, match_name)
         SELECT DISTINCT ON (external_key) external_key, name, match_name FROM ${artists.name} ORDER BY external_key
         ON CONFLICT (external_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
    );
    // Each track as the file first names it; one first named without an artist cannot be created.
    const [created] = await this.query<{ n: number; line: number | null; track: string | null }>(
      `WITH first AS (
         SELECT DISTINCT ON (external_key) * FROM ${tracks.name} ORDER BY external_key, line
       ), ins AS (
         INSERT INTO tracks (external_key, title, artist_id, duration_ms, match_title)
         SELECT f.external_key, f.title, a.id, f.duration_ms, f.match_title FROM first f JOIN artists a ON a.external_key = f.artist_key
         ON CONFLICT (external_key) DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS n, o.line, o.external_key AS track
       FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT f.line, f.external_key FROM first f
         WHERE f.artist_key IS NULL AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.external_key = f.external_key)
         ORDER BY f.line LIMIT 1) o ON true`,
    );
    if (created.line !== null) throw this.options.errorAt(created.line, `unknown track '${created.track}' and no artist to create it with`);
    this.createdArtists += newArtists;
    this.createdTracks += created.n;
    await this.query(`TRUNCATE ${users.name}, ${artists.name}, ${tracks.name}`);
    this.catalogueStaged = false;
  }

  private async checkContexts(contexts: KeyedEvent[]): Promise<void> {
    await this.mergeCatalogue();
    const ids = async (table: string, keys: (string | null)[]) =>
      new Map(
        (
          await this.query<{ id: number; external_key: string }>(`SELECT id, external_key FROM ${table} WHERE external_key = ANY($1::text[])`, [
            [...new Set(keys.filter((k): k is string => k !== null))],
          ])
        ).map((r) => [r.external_key, r.id]),
      );
    const [users, tracks, artists] = [
      await ids(
        "users",
        contexts.map((e) => e.user),
      ),
      await ids(
        "tracks",
        contexts.map((e) => e.track),
      ),
      await ids(
        "artists",
        contexts.map((e) => e.artist),
      ),
    ];
    await this.options.checkContexts!(
      this.query,
      contexts.map((event) => ({
        event,
        userId: users.get(event.user)!,
        trackId: event.track === null ? null : tracks.get(event.track)!,
        artistId: event.artist === null ? null : artists.get(event.artist)!,
      })),
    );
  }

  /** Creates the staged catalogue, then records the staged events by their keys' ids (mergeEventsSql) and empties the staging table. */
  private async mergeStaged(): Promise<void> {
    await this.mergeCatalogue();
    const { events } = this.stages;
    const [{ inserted }] = await this.query<{ inserted: number }>(
      mergeEventsSql(
        `(SELECT u.id AS user_id, s.event_id, s.kind, t.id AS track_id, coalesce(a.id, t.artist_id) AS artist_id,
                 s.occurred_at, s.ms_played, s.playlist_id, s.position
          FROM ${events.name} s JOIN users u ON u.external_key = s.user_key
          LEFT JOIN tracks t ON t.external_key = s.track_key LEFT JOIN artists a ON a.external_key = s.artist_key) e`,
        { artistsResolved: true },
      ),
    );
    this.inserted += inserted;
    await this.query(`TRUNCATE ${events.name}`);
  }
}
