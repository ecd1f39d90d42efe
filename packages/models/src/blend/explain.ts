import { dot } from "../core/vector.ts";
import type { ListenerHistory } from "./listener-history.ts";
import type { RowDots } from "../cf/wasm-dots.ts";
import { stateDots, type ModelState } from "./model-state.ts";
import type { BlendSource } from "./weights.ts";

/**
 * How much of a listener's history an explanation looks through: their most played tracks, and
 * the artists they play most. "Because you play X a lot" names one of them, and a pick costs the
 * same whether the listener has played 50 tracks or 50,000 (each explanation compares the pick
 * with every track kept; docs/weekly.md, step 5, "Explanations").
 */
export const EXPLAIN_HISTORY_LIMIT = 100;

/**
 * The `limit` entries of `entries` with the largest weight (ties: the earlier), in their original
 * order; `entries` itself when it has no more than `limit`.
 */
export function strongest<T>(entries: T[], weight: (entry: T) => number, limit: number): T[] {
  if (entries.length <= limit) return entries;
  const order = entries.map((_, r) => r).sort((a, b) => weight(entries[b]) - weight(entries[a]) || a - b);
  const keep = new Uint8Array(entries.length);
  for (let r = 0; r < limit; r++) keep[order[r]] = 1;
  return entries.filter((_, r) => keep[r] === 1);
}

/**
 * What explanations gather once per listener (their `basis` array, or their `knownArtists` map)
 * and per vector space, for all the picks of their playlist.
 */
const gatheredFor = new WeakMap<object, Map<object, unknown>>();

function oncePerListener<T>(listener: object, space: object, build: () => T): T {
  let bySpace = gatheredFor.get(listener);
  if (!bySpace) gatheredFor.set(listener, (bySpace = new Map<object, unknown>()));
  if (!bySpace.has(space)) bySpace.set(space, build());
  return bySpace.get(space) as T;
}

/** A listener's most played history rows (their catalogue rows, at most EXPLAIN_HISTORY_LIMIT), with their weights. */
interface GatheredHistory {
  rows: Int32Array;
  boost: Float64Array;
}

function gather(rows: { cols: number; data: Float32Array }, basis: [number, number][], has?: Uint8Array): GatheredHistory {
  return oncePerListener(basis, rows.data, () => {
    const kept = strongest(has ? basis.filter(([j]) => has[j]) : basis, ([, w]) => w, EXPLAIN_HISTORY_LIMIT);
    return { rows: Int32Array.from(kept, ([j]) => j), boost: Float64Array.from(kept, ([, w]) => 1 + 0.1 * w) };
  });
}

/** The artists a listener plays most that have a vector in one artist space, in the history's order, with their vectors side by side. */
interface GatheredArtists {
  ids: Int32Array;
  vectors: Float32Array;
  cols: number;
}

function gatherArtists(space: Map<number, Float32Array>, knownArtists: Map<number, number>): GatheredArtists {
  return oncePerListener(knownArtists, space, () => {
    const withVector = [...knownArtists].filter(([artist]) => space.has(artist));
    const ids = strongest(withVector, ([, plays]) => plays, EXPLAIN_HISTORY_LIMIT).map(([artist]) => artist);
    const cols = ids.length ? space.get(ids[0])!.length : 0;
    const g = { ids: Int32Array.from(ids), vectors: new Float32Array(ids.length * cols), cols };
    ids.forEach((artist, r) => g.vectors.set(space.get(artist)!, r * cols));
    return g;
  });
}

const similarities = new Float64Array(EXPLAIN_HISTORY_LIMIT);

/** The listener's history item (of their most played) most similar to track i under `rows` (unit vectors), or -1. */
function closestInHistory(rows: { cols: number; data: Float32Array } | null, basis: [number, number][], i: number, dots: RowDots, has?: Uint8Array): number {
  if (!rows) return -1;
  const g = gather(rows, basis, has);
  const sims = similarities.subarray(0, g.rows.length);
  dots.dotsWithRow(rows, g.rows, g.rows.length, i, sims);
  let best = -1,
    bestSim = -Infinity;
  for (let r = 0; r < g.rows.length; r++) {
    const sim = sims[r] * g.boost[r];
    if (sim > bestSim) {
      bestSim = sim;
      best = g.rows[r];
    }
  }
  return best;
}

/** A reason a person can read, naming real history: the source that contributed most decides. */
export function explain(
  state: ModelState,
  history: ListenerHistory,
  basis: [number, number][],
  i: number,
  scores: Record<BlendSource, number>,
  cold: boolean,
  dots: RowDots = stateDots(state),
): string {
  const top = (Object.entries(scores) as [BlendSource, number][]).sort((a, b) => b[1] - a[1])[0][0];
  const artistOf = (j: number) => state.artistName.get(state.artistOf[j]) ?? "an artist you play";
  const brandNew = state.coldTrack[i] ? "brand new, " : "";
  if (cold && history.seedArtists.length) {
    const j = closestInHistory(state.collaborative?.unitItems ?? state.text?.unitTracks ?? null, basis, i, dots);
    return `because you picked ${j >= 0 ? artistOf(j) : state.artistName.get(history.seedArtists[0])} when you joined`;
  }
  if (cold) return "popular with Deepcuts listeners: play a few songs and next week's list will be yours";
  if (top === "audio" && state.audio) {
    const j = closestInHistory(state.audio.unitTracks, basis, i, dots, state.audio.has);
    if (j >= 0) return `${brandNew}sounds like "${state.trackTitle[j]}" by ${artistOf(j)}`;
  }
  if (top === "text" && state.text) {
    // The artist you play whose cultural vector is closest to this track's.
    const known = gatherArtists(state.text.unitArtists, history.knownArtists);
    const k = known.cols;
    let bestArtist = -1,
      bestSim = -Infinity;
    for (let r = 0; r < known.ids.length; r++) {
      const sim = dot(state.text.unitTracks.data, i * k, known.vectors, r * k, k);
      if (sim > bestSim) {
        bestSim = sim;
        bestArtist = known.ids[r];
      }
    }
    if (bestArtist >= 0) return `${brandNew}described like ${state.artistName.get(bestArtist)}`;
  }
  if (top === "coMention" && state.coMention) {
    // The artist you play whose co-mention vector is closest to this track's artist's.
    const own = state.coMention.unitArtists.get(state.artistOf[i]);
    const known = gatherArtists(state.coMention.unitArtists, history.knownArtists);
    const k = known.cols;
    let bestArtist = -1,
      bestSim = -Infinity;
    for (let r = 0; own && r < known.ids.length; r++) {
      if (known.ids[r] === state.artistOf[i]) continue;
      const sim = dot(own, 0, known.vectors, r * k, k);
      if (sim > bestSim) {
        bestSim = sim;
        bestArtist = known.ids[r];
      }
    }
    if (bestArtist >= 0) return `${brandNew}written about with the same artists as ${state.artistName.get(bestArtist)}`;
  }
  if ((top === "collaborative" || top === "text" || top === "audio" || top === "coMention") && state.collaborative) {
    const j = closestInHistory(state.collaborative.unitItems, basis, i, dots);
    if (j >= 0) {
      if (state.collaborative.fromAudio[i]) return `brand new, and it sounds like what you play from ${artistOf(j)}`;
      return `because you play ${artistOf(j)} a lot`;
    }
  }
  if (top === "novelty") return `new to you: ${state.artistName.get(state.artistOf[i])}, popular with listeners like you`;
  return "popular with Deepcuts listeners, and new to you";
}
