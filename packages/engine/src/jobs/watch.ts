import type { Database } from "@deepcuts/db";
import { FINISHED, RECORD_SELECT, type JobRecord, type JobStatusName } from "./records.ts";

/** Statuses a job can still leave (every status but FINISHED): read through the status index. */
const OPEN: readonly JobStatusName[] = ["QUEUED", "RUNNING", "INTERRUPTED"];

/** A model kind whose active version changed (by this process or any other). */
export interface ModelActivation {
  kind: string;
  /** The version now active. */
  versionId: number;
  /** The version active before, null when the kind had none. */
  previousVersionId: number | null;
  finishedAt: Date | null;
}

/** How often a watcher reads the database while it has listeners (DEEPCUTS_SUBSCRIPTION_POLL_MS). */
export function watchIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DEEPCUTS_SUBSCRIPTION_POLL_MS;
  if (raw === undefined || raw === "") return 250;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 20 || ms > 60_000)
    throw new RangeError(`DEEPCUTS_SUBSCRIPTION_POLL_MS must be a whole number of milliseconds from 20 to 60000, got '${raw}'`);
  return ms;
}

type Listener<T> = (value: T) => void;

/**
 * Follows job records and model activations in the database, whichever process writes them
 * (workers are separate processes on pg-boss; the CLI activates models). While it has
 * listeners it reads the database every `intervalMs` in one query per concern: the records
 * of jobs in flight, of those in flight at the last read (to see how they ended) and of jobs
 * created since; and the active version of each model kind. A record is reported when its
 * status, progress, message or error changed. With no listeners it stops reading.
 *
 * Polling rather than LISTEN/NOTIFY: it works the same on PostgreSQL, in-process PGlite and
 * PGlite behind its socket server (which shares one session between all connections, so a
 * notification reaches whichever connection is reading at the time, not the listener), and
 * needs no trigger or NOTIFY in the writers. docs/api.md gives the measured cost.
 */
export class ChangeWatcher {
  private readonly jobListeners = new Set<Listener<JobRecord>>();
  private readonly activationListeners = new Set<Listener<ModelActivation>>();
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  /** Fingerprint of every job in flight at the last read. */
  private seen = new Map<number, string>();
  private maxId: number | null = null;
  private active: Map<string, number> | null = null;
  /** Reads done and their total time (for the measurements in docs/api.md). */
  readonly stats = { reads: 0, totalMs: 0, failures: 0 };

  constructor(
    private readonly db: Database,
    readonly intervalMs = watchIntervalMs(),
  ) {}

  /** Calls `listener` with every changed job record until the returned function is called. */
  onJob(listener: Listener<JobRecord>): () => void {
    return this.add(this.jobListeners, listener);
  }

  /** Calls `listener` for every change of a kind's active model version. */
  onActivation(listener: Listener<ModelActivation>): () => void {
    return this.add(this.activationListeners, listener);
  }

  /**
   * Resolves once the watcher has read its baseline for the listeners it has (each change after
   * that is reported). A subscriber registers its listener, awaits this, and only then reads the
   * current state it sends first: a change between the two is then reported, never lost.
   */
  async ready(): Promise<void> {
    for (let attempt = 0; attempt < 3 && this.needsBaseline(); attempt++) await this.tick();
  }

  private needsBaseline(): boolean {
    return (this.jobListeners.size > 0 && this.maxId === null) || (this.activationListeners.size > 0 && this.active === null);
  }

  /** Stops reading and forgets every listener. */
  close(): void {
    this.jobListeners.clear();
    this.activationListeners.clear();
    this.idle();
  }

  private add<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
    set.add(listener);
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
    return () => {
      set.delete(listener);
      if (this.jobListeners.size === 0 && this.activationListeners.size === 0) this.idle();
    };
  }

  private idle(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // The baselines go with the last listener: a later one starts from the database's state then.
    this.seen = new Map();
    this.maxId = null;
    this.active = null;
  }

  /** One read; a read still running when the next is due is not doubled. */
  tick(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(): Promise<void> {
    const started = performance.now();
    try {
      if (this.jobListeners.size > 0) await this.readJobs();
      else this.seen = new Map();
      if (this.activationListeners.size > 0) await this.readActivations();
      else this.active = null;
    } catch (error) {
      // The database is away for a moment: subscribers keep waiting, the next read tries again.
      this.stats.failures++;
      if (process.env.DEEPCUTS_DEBUG) console.error("subscription watcher:", error);
    } finally {
      this.stats.reads++;
      this.stats.totalMs += performance.now() - started;
    }
  }

  private async readJobs(): Promise<void> {
    if (this.maxId === null) {
      const [row] = await this.db.query<{ max: number | null }>(`SELECT max(id) AS max FROM jobs`);
      this.maxId = row?.max ?? 0;
    }
    const rows = await this.db.query<JobRecord>(
      `${RECORD_SELECT} WHERE j.status = ANY($1::text[]::"JobStatus"[]) OR j.id = ANY($2::int[]) OR j.id > $3 ORDER BY j.id`,
      [OPEN, [...this.seen.keys()], this.maxId],
    );
    const next = new Map<number, string>();
    for (const record of rows) {
      const print = fingerprint(record);
      const before = this.seen.get(record.id);
      if (!FINISHED.includes(record.status)) next.set(record.id, print);
      if (record.id > this.maxId) this.maxId = record.id;
      if (before === print) continue;
      for (const listener of [...this.jobListeners]) listener(record);
    }
    this.seen = next;
  }

  private async readActivations(): Promise<void> {
    const rows = await this.db.query<{ kind: string; id: number; finishedAt: Date | null }>(
      `SELECT kind::text AS kind, id, finished_at AS "finishedAt" FROM model_versions WHERE is_active ORDER BY kind`,
    );
    const now = new Map(rows.map((r) => [r.kind, r.id]));
    const before = this.active;
    this.active = now;
    if (!before) return;
    for (const row of rows) {
      if (before.get(row.kind) === row.id) continue;
      const change: ModelActivation = { kind: row.kind, versionId: row.id, previousVersionId: before.get(row.kind) ?? null, finishedAt: row.finishedAt };
      for (const listener of [...this.activationListeners]) listener(change);
    }
  }
}

const fingerprint = (r: JobRecord) => JSON.stringify([r.status, r.done, r.total, r.message, r.error, r.cancelRequested, r.attempts]);

/** The records of these jobs (those that exist), in id order. */
export function readRecords(db: Database, ids: readonly number[]): Promise<JobRecord[]> {
  return db.query<JobRecord>(`${RECORD_SELECT} WHERE j.id = ANY($1::int[]) ORDER BY j.id`, [ids]);
}

const watchers = new WeakMap<Database, ChangeWatcher>();

/** The one watcher of `db` in this process (subscriptions share its reads). */
export function watcherFor(db: Database): ChangeWatcher {
  let watcher = watchers.get(db);
  if (!watcher) watchers.set(db, (watcher = new ChangeWatcher(db)));
  return watcher;
}

/**
 * An async iterable of the values a watcher reports through `subscribe`, buffered so none is
 * lost while the consumer is busy; `until` ends it after the value that satisfies it. The
 * subscription is dropped when the consumer stops (return()) or the iterable ends.
 */
export function watchStream<T>(
  subscribe: (push: (value: T) => void) => () => void,
  options: { initial?: T[]; until?: (value: T) => boolean } = {},
): AsyncIterableIterator<T> {
  const queue: T[] = [...(options.initial ?? [])];
  let wake: (() => void) | null = null;
  let done = options.initial?.some((v) => options.until?.(v)) ?? false;
  if (done) queue.splice(queue.findIndex((v) => options.until!(v)) + 1);
  const unsubscribe = done
    ? () => {}
    : subscribe((value) => {
        if (done) return;
        queue.push(value);
        if (options.until?.(value)) finish();
        wake?.();
      });
  function finish(): void {
    if (!done) {
      done = true;
      unsubscribe();
    }
  }
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((r) => (wake = r));
      wake = null;
      if (queue.length > 0) return { value: queue.shift()!, done: false };
      return { value: undefined, done: true };
    },
    async return() {
      finish();
      queue.length = 0;
      wake?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
