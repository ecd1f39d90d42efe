import { copyNumber, copyText } from "@deepcuts/db/copy-text";
import type { EventKindName } from "../events/kinds.ts";
import { matchTitle, normaliseArtist } from "../identity/normalise.ts";

// The reader's side of an events file import, with no database: the batches the reader
// (event-reader.ts) makes and the loader (ingest-bulk.ts) sends.

/**
 * Staged rows per merge. One merge over a whole 1M-event file took PGlite's heap (which never
 * shrinks) past 1 GB; merges of this size keep the sort, the grouping and the staging table
 * small on both targets, and still do every row's work in set-based statements.
 */
export const MERGE_EVERY = 250_000;
/** Rows per COPY batch of the file loader. */
export const FILE_COPY_BATCH = 20_000;
/**
 * Listener, artist and track keys of each kind that the file loader remembers as staged (a Set
 * each, cleared at the next merge once it holds more): a key seen again is not staged again.
 * Forgetting one costs a second staged row for it, which the merge ignores.
 */
export const KEY_CACHE = 250_000;
const LINES_PER_CHUNK = 256;

/** One event of a file, named by its keys: `EventFileLoader` creates unknown listeners, artists and tracks in its merge. */
export interface KeyedEvent {
  /** Line of the file, for errors. */
  line: number;
  eventId: string;
  user: string;
  /** Name and time zone of a listener created for this event (the first event naming them). */
  userName: string;
  timeZone: string;
  track: string | null;
  /** Title (the key when null) and duration of a track created for this event (the first naming it). */
  trackTitle: string | null;
  durationMs: number;
  /** The event's artist; a track created for this event is by this artist. */
  artist: string | null;
  kind: EventKindName;
  occurredAt: Date;
  msPlayed: number | null;
  playlistId: number | null;
  position: number | null;
}

/** One batch of a file's events as COPY text per staging table, ready for `EventFileLoader.flushBatch`. */
export interface EventBatch {
  /** Events in the batch. */
  rows: number;
  events: string;
  users: string;
  artists: string;
  tracks: string;
  /** The events that name a playlist slot, checked before the batch's events are staged. */
  contexts: KeyedEvent[];
}

export interface EventBatchOptions {
  /** Rows per batch (FILE_COPY_BATCH). */
  copyBatch?: number;
  /** Staged events per merge (MERGE_EVERY): the key caches are forgotten at the same points as the loader merges. */
  mergeEvery?: number;
  /** Keys of each kind remembered as staged before they are forgotten at a merge (KEY_CACHE). */
  keyCache?: number;
}

/**
 * The reader's side of the file loader, with no database: appends each event as COPY text with
 * its keys (`add`), plus a row of its listener, artist and track the first time the file names
 * them (their names, and the folded match keys computed here), and hands out full batches
 * (`take`). It runs where the file is read (importers/event-reader.ts), on the loader's thread.
 */
export class EventBatchBuilder {
  // Lines, joined into flat strings: a string built by `+=` or a template stays a tree of its
  // pieces (each cell of each row) until it is flattened, several times the text's size. Events
  // are joined every LINES_PER_CHUNK lines, so the trees die young instead of filling the old
  // generation of the heap; the chunks are joined into one string per batch at `take`.
  private lines: string[] = [];
  private events: string[] = [];
  private users: string[] = [];
  private artists: string[] = [];
  private tracks: string[] = [];
  private contexts: KeyedEvent[] = [];
  private rows = 0;
  private unmerged = 0;
  private readonly seenUsers = new Set<string>();
  private readonly seenArtists = new Set<string>();
  private readonly seenTracks = new Set<string>();
  private readonly copyBatch: number;
  private readonly mergeEvery: number;
  private readonly keyCache: number;

  constructor(options: EventBatchOptions = {}) {
    this.copyBatch = options.copyBatch ?? FILE_COPY_BATCH;
    this.mergeEvery = options.mergeEvery ?? MERGE_EVERY;
    this.keyCache = options.keyCache ?? KEY_CACHE;
  }

  /** Appends one checked event; true when the batch is full (then `take()`). */
  add(e: KeyedEvent): boolean {
    this.lines.push(
      `${copyText(e.user)}\t${copyText(e.eventId)}\t${e.kind}\t${e.track === null ? "\\N" : copyText(e.track)}\t` +
        `${e.artist === null ? "\\N" : copyText(e.artist)}\t${e.occurredAt.toISOString()}\t${copyNumber(e.msPlayed)}\t` +
        `${copyNumber(e.playlistId)}\t${copyNumber(e.position)}\n`,
    );
    if (!this.seenUsers.has(e.user)) {
      this.seenUsers.add(e.user);
      this.users.push(`${e.line}\t${copyText(e.user)}\t${copyText(e.userName)}\t${copyText(e.timeZone)}\n`);
    }
    if (e.artist !== null && !this.seenArtists.has(e.artist)) {
      this.seenArtists.add(e.artist);
      this.artists.push(`${copyText(e.artist)}\t${copyText(e.artist)}\t${copyText(normaliseArtist(e.artist))}\n`);
    }
    if (e.track !== null && !this.seenTracks.has(e.track)) {
      this.seenTracks.add(e.track);
      const title = e.trackTitle ?? e.track;
      this.tracks.push(
        `${e.line}\t${copyText(e.track)}\t${copyText(title)}\t${e.artist === null ? "\\N" : copyText(e.artist)}\t` +
          `${e.durationMs}\t${copyText(matchTitle(title))}\n`,
      );
    }
    if (this.lines.length === LINES_PER_CHUNK) {
      this.events.push(this.lines.join(""));
      this.lines = [];
    }
    if (e.playlistId !== null || e.position !== null) this.contexts.push(e);
    return ++this.rows >= this.copyBatch;
  }

  /** The events added since the last call as one batch; null when there are none. */
  take(): EventBatch | null {
    if (this.rows === 0) return null;
    this.events.push(this.lines.join(""));
    const batch: EventBatch = {
      rows: this.rows,
      events: this.events.join(""),
      users: this.users.join(""),
      artists: this.artists.join(""),
      tracks: this.tracks.join(""),
      contexts: this.contexts,
    };
    this.lines = [];
    this.events = [];
    this.users = [];
    this.artists = [];
    this.tracks = [];
    this.contexts = [];
    this.rows = 0;
    this.unmerged += batch.rows;
    if (this.unmerged >= this.mergeEvery) {
      this.unmerged = 0;
      // Keys staged before the loader's merge exist after it: forgetting them now only costs a row staged again.
      for (const seen of [this.seenUsers, this.seenArtists, this.seenTracks]) if (seen.size > this.keyCache) seen.clear();
    }
    return batch;
  }
}
