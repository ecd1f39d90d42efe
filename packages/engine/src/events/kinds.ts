import { EventKind } from "@deepcuts/db/enums";
import { signalWeightDefaults, type SignalWeights } from "@deepcuts/models/cf/signals";

/**
 * The kinds of listening event and what each one means, in one place. The list itself is the
 * database's `EventKind` enum (prisma/schema.prisma, generated into @deepcuts/db); the GraphQL
 * enum is registered from the same object (apps/api/src/graphql/types/enums.ts) and the
 * dashboard's type is generated from the GraphQL schema. Everything else derives from here:
 * which aggregate counter an event adds to (the SQL in ingest.ts), which kinds need a track
 * (listener/events.ts), the words files use (importers/csv-events.ts, the demo loader), and how
 * strongly the counters count in training (training/interactions.ts, weekly/histories.ts,
 * the Spark export in export/interactions.ts) and in the online metrics (outcomes/metrics.ts).
 */
export type EventKindName = EventKind;
export const EVENT_KINDS: readonly EventKindName[] = Object.values(EventKind);

/** The per-listener-and-track counters (user_track_stats). */
export type TrackCounter = "streams" | "saves" | "skips" | "dislikes";
/** The per-listener-and-artist counters (user_artist_stats). */
export type ArtistCounter = "plays" | "visits" | "dislikes";

export interface EventMeaning {
  /** The user_track_stats counter an event of this kind with a track adds one to. */
  trackCounter: TrackCounter | null;
  /** The user_artist_stats counter it adds one to (the artist is the event's, else its track's). */
  artistCounter: ArtistCounter | null;
  /** Counts towards artistCounter only when the event names no track ("not for me" on an artist, not on one of its songs). */
  artistOnly: boolean;
  /** The event must name a track; otherwise a track or an artist. */
  needsTrack: boolean;
  /** In training: a positive signal (streams, saves, visits) or a negative one (skips, "not for me"). */
  signal: "positive" | "negative";
}

export const EVENT_MEANING: Readonly<Record<EventKindName, EventMeaning>> = {
  STREAM: { trackCounter: "streams", artistCounter: "plays", artistOnly: false, needsTrack: true, signal: "positive" },
  SAVE: { trackCounter: "saves", artistCounter: null, artistOnly: false, needsTrack: true, signal: "positive" },
  // Added to another playlist of the listener's: as firm a yes as a save, so it is counted as one.
  PLAYLIST_ADD: { trackCounter: "saves", artistCounter: null, artistOnly: false, needsTrack: true, signal: "positive" },
  ARTIST_VISIT: { trackCounter: null, artistCounter: "visits", artistOnly: false, needsTrack: false, signal: "positive" },
  SKIP: { trackCounter: "skips", artistCounter: null, artistOnly: false, needsTrack: true, signal: "negative" },
  DISLIKE: { trackCounter: "dislikes", artistCounter: "dislikes", artistOnly: true, needsTrack: false, signal: "negative" },
};

/** The kinds that add to a track counter, or to an artist counter. */
export function kindsCounting(counter: { track: TrackCounter } | { artist: ArtistCounter }): EventKindName[] {
  return EVENT_KINDS.filter((k) => ("track" in counter ? EVENT_MEANING[k].trackCounter === counter.track : EVENT_MEANING[k].artistCounter === counter.artist));
}

/** SQL `column IN (...)` over `kinds` (names from the EventKind enum, never from input); false for none. */
export function sqlKindIn(kinds: readonly EventKindName[], column = "kind"): string {
  return kinds.length ? `${column} IN (${kinds.map((k) => `'${k}'`).join(", ")})` : "false";
}

/**
 * A stream counts from 30 s, as Spotify counts one: a history file's shorter play is recorded
 * as a SKIP (importers/plays.ts), and a live STREAM event shorter than this is not its playlist
 * slot's stream (listener/outcomes.ts).
 */
export const STREAM_COUNTS_FROM_MS = 30_000;

/**
 * Positive strength in training: the models' default signal weights (a stream 1, a save 5, an
 * artist-page visit 0.5, `signalWeightDefaults` in @deepcuts/models/cf), which a training run may
 * override. Negative strength: a skip 1, a "not for me" NOT_FOR_ME_STRENGTH.
 *
 * `ms_played` is summed per listener and track (user_track_stats.ms_played) but weights nothing
 * in training: Last.fm and ListenBrainz listens carry no length, so weighting by it would rank
 * listeners by their source rather than their taste, and the 30 s rule above already turns short
 * plays from history files into skips. It is kept for analysis in SQL; no code reads the sum.
 */
export const POSITIVE_WEIGHTS: Readonly<SignalWeights> = signalWeightDefaults;
/** A "not for me" says no more firmly than a skip: it counts as this many skips. */
export const NOT_FOR_ME_STRENGTH = 3;

/** How much a listener likes a track they streamed and saved, by the positive weights (visits aside). */
export function trackStrength(streams: number, saves: number): number {
  return POSITIVE_WEIGHTS.streams * streams + POSITIVE_WEIGHTS.saves * saves;
}

/** SQL over user_track_stats (its alias, when the query names one): the track has a positive signal, a stream or a save. */
export function sqlPositiveTrack(alias?: string): string {
  const at = alias ? `${alias}.` : "";
  return `(${at}streams > 0 OR ${at}saves > 0)`;
}
/** SQL over user_track_stats: the negative strength of a track (skips + NOT_FOR_ME_STRENGTH x dislikes). */
export const SQL_NEGATIVE_STRENGTH = `(skips + ${NOT_FOR_ME_STRENGTH} * dislikes)`;

/**
 * The lower-case words that name a kind in files (the events import's `kind` column) and in the
 * demo generator: each kind's own name in lower case, and a few aliases.
 */
export const EVENT_KIND_WORDS = {
  ...(Object.fromEntries(EVENT_KINDS.map((k) => [k.toLowerCase(), k])) as { [K in EventKindName as Lowercase<K>]: K }),
  play: "STREAM",
  visit: "ARTIST_VISIT",
  not_for_me: "DISLIKE",
} as const;

/** The kind a word names (any case), or null. */
export function eventKindOfWord(word: string): EventKindName | null {
  const key = word.toLowerCase();
  return Object.hasOwn(EVENT_KIND_WORDS, key) ? EVENT_KIND_WORDS[key as keyof typeof EVENT_KIND_WORDS] : null;
}
