/** The world's catalogue and listeners as typed arrays, ready for fast event sampling. */
import { AliasTable } from "../draw.ts";
import { TIME_ZONES } from "../catalogue/names.ts";
import type { DemoWorld } from "../types.ts";

/** Most genres a listener's taste mixes (users.ts draws at most 4). */
export const MAX_TASTES = 4;

// Relative chance that a session starts in each local hour: quiet nights, commute, evenings.
export const HOUR_WEIGHTS = [0.6, 0.35, 0.2, 0.12, 0.1, 0.15, 0.4, 0.9, 1.2, 1.0, 0.9, 0.9, 1.1, 1.0, 0.9, 0.9, 1.0, 1.3, 1.5, 1.6, 1.7, 1.7, 1.4, 1.0];

export interface EventModel {
  nowMs: number;
  yearStartMs: number;
  trackKeys: string[];
  trackGenre: Int32Array;
  trackReleaseMs: Float64Array;
  trackDurationMs: Int32Array;
  /** Popularity-weighted draw of released (non-cold) tracks, per genre index (null when empty). */
  genreTables: (AliasTable | null)[];
  globalTable: AliasTable;
  /** The earliest released non-cold track: the fallback when nothing else is out yet. */
  earliestTrack: number;
  userKeys: string[];
  userEventCount: Int32Array;
  userOffsetMs: Int32Array;
  /** Taste genre indices (-1 = none) and weights, MAX_TASTES per user. */
  tasteGenre: Int32Array;
  tasteWeight: Float64Array;
  hourTable: AliasTable;
}

export function buildEventModel(world: DemoWorld): EventModel {
  const genreIndex = new Map(world.genres.map((g, i) => [g.key, i]));
  const T = world.tracks.length;
  const trackGenre = new Int32Array(T);
  const trackReleaseMs = new Float64Array(T);
  const trackDurationMs = new Int32Array(T);
  const members: number[][] = world.genres.map(() => []);
  const released: number[] = [];
  let earliestTrack = -1;
  world.tracks.forEach((t, i) => {
    const g = genreIndex.get(t.genre);
    if (g === undefined) throw new RangeError(`track ${t.key} has unknown genre '${t.genre}'`);
    trackGenre[i] = g;
    trackReleaseMs[i] = t.releaseDate.getTime();
    trackDurationMs[i] = t.durationMs;
    if (t.isColdStart) return;
    members[g].push(i);
    released.push(i);
    if (earliestTrack < 0 || trackReleaseMs[i] < trackReleaseMs[earliestTrack]) earliestTrack = i;
  });
  if (released.length === 0) throw new RangeError(`world has no released (non-cold-start) tracks among ${T}`);
  const weightOf = (ids: number[]) => ids.map((i) => world.tracks[i].popularity);

  const U = world.users.length;
  const tasteGenre = new Int32Array(U * MAX_TASTES).fill(-1);
  const tasteWeight = new Float64Array(U * MAX_TASTES);
  const userOffsetMs = new Int32Array(U);
  const userEventCount = new Int32Array(U);
  const offsets = new Map(TIME_ZONES.map((z) => [z.zone, z.offsetMinutes * 60_000]));
  world.users.forEach((user, u) => {
    if (user.tasteGenres.length > MAX_TASTES) {
      throw new RangeError(`user ${user.key} has ${user.tasteGenres.length} taste genres, at most ${MAX_TASTES}`);
    }
    user.tasteGenres.forEach((taste, k) => {
      tasteGenre[u * MAX_TASTES + k] = genreIndex.get(taste.genre) ?? -1;
      tasteWeight[u * MAX_TASTES + k] = taste.weight;
    });
    userOffsetMs[u] = offsets.get(user.timeZone) ?? 0;
    userEventCount[u] = user.eventCount;
  });

  return {
    nowMs: world.now.getTime(),
    yearStartMs: world.yearStart.getTime(),
    trackKeys: world.tracks.map((t) => t.key),
    trackGenre,
    trackReleaseMs,
    trackDurationMs,
    genreTables: members.map((ids) => (ids.length > 0 ? new AliasTable(ids, weightOf(ids)) : null)),
    globalTable: new AliasTable(released, weightOf(released)),
    earliestTrack,
    userKeys: world.users.map((u) => u.key),
    userEventCount,
    userOffsetMs,
    tasteGenre,
    tasteWeight,
    hourTable: new AliasTable(
      HOUR_WEIGHTS.map((_, h) => h),
      HOUR_WEIGHTS,
    ),
  };
}
