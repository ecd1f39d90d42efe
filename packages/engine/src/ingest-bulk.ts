import type { CopyRows, Database } from "@deepcuts/db";
import { mergeEventsSql, type EventRow } from "./ingest.ts";

type Query = Database["query"];

const COLUMNS = ["user_id", "event_id", "kind", "track_id", "artist_id", "occurred_at", "ms_played", "playlist_id", "position"];
/** Rows per COPY: about 5 MB of text, so memory stays flat whatever the file's size. */
export const COPY_BATCH = 50_000;
/**
 * Staged rows per merge. One merge over a whole 1M-event file took PGlite's heap (which never
 * shrinks) past 1 GB; merges of this size keep the sort, the grouping and the staging table
 * small on both targets, and still do every row's work in set-based statements.
 */
export const MERGE_EVERY = 250_000;

let stagingTables = 0;

/** COPY text format: backslash, tab and line breaks escaped; `\N` is null. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
}

function copyNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "\\N" : String(value);
}

/**
 * Bulk path for listening events: rows stream into a temporary staging table in bounded batches
 * (COPY FROM STDIN on PostgreSQL, COPY from a blob on in-process PGlite, multi-row INSERT on PGlite
 * behind its socket server), then `merge()` moves them into listening_events in one set-based
 * statement that ignores event ids seen before and folds only the new events into the
 * per-listener aggregates (mergeEventsSql, the same statement `insertEvents` runs per batch),
 * each MERGE_EVERY rows and at the end. Use it inside one transaction: the staging table is
 * dropped at commit, and a failure anywhere (a bad row after batches were merged included)
 * leaves stored data as it was.
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
    private readonly copyRows: CopyRows | null,
    private readonly table: string,
    private readonly copyBatch: number,
    private readonly mergeEvery: number,
  ) {}

  /** Creates the staging table in the current transaction (`copyRows` from `db.transaction`). */
  static async open(query: Query, copyRows: CopyRows | null, sizes: { copyBatch?: number; mergeEvery?: number } = {}): Promise<EventBulkLoader> {
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
    this.inFlight = this.send(lines).catch((error: unknown) => {
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

  private async send(lines: string[]): Promise<void> {
    if (this.copyRows) return this.copyRows(this.table, COLUMNS, lines.join(""));
    // PGlite behind its socket server: no COPY FROM STDIN, so one multi-row INSERT per batch.
    const cells = lines.map((line) =>
      line
        .slice(0, -1)
        .split("\t")
        .map((c) => (c === "\\N" ? null : c.replace(/\\(.)/g, (_, x: string) => ({ t: "\t", n: "\n", r: "\r" })[x] ?? x))),
    );
    await this.query(
      `INSERT INTO ${this.table} SELECT * FROM unnest($1::int[], $2::text[], $3::text[]::"EventKind"[], $4::int[], $5::int[], $6::timestamptz[], $7::int[], $8::int[], $9::int[])`,
      COLUMNS.map((_, i) => cells.map((c) => c[i])),
    );
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
