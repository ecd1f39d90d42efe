/** Sizes of a demo world: presets for `npm start` and for benchmarks, and their validation. */

export interface GenerateWorldOptions {
  /** Seed of every random draw (default 42). */
  seed?: number;
  listeners?: number;
  artists?: number;
  tracks?: number;
  /** Exact total number of events (split over listeners by activity). */
  events?: number;
  /** "Today": the year of events ends here; cold-start tracks are released in the 7 days before.
   * Default: the start of the current UTC day, so a world is reproducible within a day. */
  now?: Date;
  /** Preset sizes; explicit counts override them. */
  scale?: "default" | "benchmark";
}

export interface WorldSize {
  seed: number;
  listeners: number;
  artists: number;
  tracks: number;
  events: number;
  now: Date;
}

export const WORLD_SCALES = {
  default: { listeners: 2_000, artists: 300, tracks: 3_000, events: 200_000 },
  benchmark: { listeners: 100_000, artists: 5_000, tracks: 50_000, events: 10_000_000 },
} as const;

const DAY_MS = 86_400_000;
const MAX_MEAN_EVENTS_PER_LISTENER = 2_000;

function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer ${min}..${max}, got ${value}`);
  }
  return value;
}

/** Fills defaults from the preset and checks every size; `genreCount` bounds the artist count. */
export function resolveWorldSize(options: GenerateWorldOptions, genreCount: number): WorldSize {
  const scale = options.scale ?? "default";
  const preset = WORLD_SCALES[scale];
  if (!preset) throw new RangeError(`scale must be "default" or "benchmark", got ${String(scale)}`);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const now = options.now ?? new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError(`now must be a valid Date, got ${String(options.now)}`);
  }
  const listeners = checkCount("listeners", options.listeners ?? preset.listeners, 1, 10_000_000);
  const tracks = checkCount("tracks", options.tracks ?? preset.tracks, genreCount, 5_000_000);
  // Every genre gets an artist and every artist a track.
  const artists = checkCount("artists", options.artists ?? preset.artists, genreCount, tracks);
  // A year holds about 150,000 plays of 3.5 minutes; keep even the heaviest listener plausible.
  const events = checkCount("events", options.events ?? preset.events, 0, Math.min(2_000_000_000, listeners * MAX_MEAN_EVENTS_PER_LISTENER));
  return { seed, listeners, artists, tracks, events, now };
}
