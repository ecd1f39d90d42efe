import { blendZScores, mmrSelect } from "@deepcuts/models/blend";
import { TopK, type Random } from "@deepcuts/models/core";
import type { BlendConstraints, BlendWeights } from "./blend-config.ts";
import { DEFAULT_EXPLORATION_SLOTS, withExploration } from "./exploration.ts";
import type { ListenerHistory } from "./histories.ts";
import type { ModelState } from "./model-state.ts";

export const SOURCES = ["collaborative", "text", "audio", "popularity", "novelty"] as const;
export type SourceName = (typeof SOURCES)[number];

export interface PlaylistItemPick {
  trackId: number;
  /** Blended score (sum of the weighted per-listener z-scores). */
  score: number;
  /** Each source's weighted z-score: what it contributed. */
  scores: Record<SourceName, number>;
  reason: string;
  /** 1-based rank of the track in the blend's candidate list (before the diversity re-ranking). */
  rank: number;
  /** True when exploration chose the track (exploration.ts). */
  explored: boolean;
  /** Probability with which the policy put the track in its slot: 1 for the blend's picks. */
  propensity: number;
}

/** What makes one listener's playlist random: the seeded source of its exploration slots. */
export interface PickOptions {
  /** Without it the playlist has no exploration slots (previews, offline evaluation). */
  exploration?: Random;
  /** Sees the blend's head (candidate rows best first, and their scores) before it is finished: team-draft interleaving (experiments/interleave.ts) drafts from two blends' heads. */
  onHead?: (head: BlendHead) => void;
}

/** One listener's scored candidates under one blend, before diversity re-ranking. */
export interface BlendHead {
  setup: ListenerSetup;
  /** Catalogue rows, best first. */
  pool: number[];
  total: (i: number) => number;
  parts: (i: number) => Record<SourceName, number>;
}

export interface PlaylistPick {
  status: "COMPLETE" | "SHORT" | "COLD_START";
  items: PlaylistItemPick[];
  /** Weights actually used: a source whose model is not trained counts zero. */
  effectiveWeights: Record<SourceName, number>;
}

function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) s += a[aOff + c] * b[bOff + c];
  return s;
}

/** Weighted mean of unit rows of `m` (by history strength), as a unit vector; null when empty. */
function profile(m: { cols: number; data: Float32Array }, rows: [number, number][], has?: Uint8Array): Float32Array | null {
  const k = m.cols;
  const out = new Float32Array(k);
  let any = false;
  for (const [i, w] of rows) {
    if (has && !has[i]) continue;
    for (let c = 0; c < k; c++) out[c] += w * m.data[i * k + c];
    any = true;
  }
  if (!any) return null;
  const norm = Math.hypot(...out);
  if (norm === 0) return null;
  for (let c = 0; c < k; c++) out[c] /= norm;
  return out;
}

/**
 * Row `i` of `data` (width `k`) dotted with `query`, in four independent sums so the loop runs on
 * the CPU's parallel adders instead of one chain. The one place this summation order is written:
 * the batch scorer re-scores candidates with it and must match the exhaustive path bit for bit.
 */
export function dotRow(data: Float32Array, i: number, k: number, query: Float32Array): number {
  const o = i * k;
  const k4 = k - (k % 4);
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let c = 0; c < k4; c += 4) {
    s0 += data[o + c] * query[c];
    s1 += data[o + c + 1] * query[c + 1];
    s2 += data[o + c + 2] * query[c + 2];
    s3 += data[o + c + 3] * query[c + 3];
  }
  for (let c = k4; c < k; c++) s0 += data[o + c] * query[c];
  return s0 + s1 + s2 + s3;
}

/** Scores of every catalogue track against one query vector. */
function scoreAll(m: { rows: number; cols: number; data: Float32Array }, query: Float32Array): Float32Array {
  const out = new Float32Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = dotRow(m.data, i, m.cols, query);
  return out;
}

/** What both scoring paths need about one listener: the profiles (query vectors) and the rules. */
export interface ListenerSetup {
  history: ListenerHistory;
  /** Catalogue rows the listener played, with log1p(strength). */
  played: [number, number][];
  /** Rows the profiles are built from: what they played, or a cold listener's seed artists' popular tracks. */
  basis: [number, number][];
  cold: boolean;
  /** Artists whose tracks are never candidates. */
  avoid: ReadonlySet<number>;
  userVector: Float32Array | null;
  textProfile: Float32Array | null;
  audioProfile: Float32Array | null;
  effectiveWeights: Record<SourceName, number>;
}

export function listenerSetup(state: ModelState, history: ListenerHistory, weights: BlendWeights, c: BlendConstraints): ListenerSetup {
  const n = state.trackIds.length;
  const played: [number, number][] = [];
  for (const [trackId, strength] of history.heard) {
    const i = state.indexOfTrack.get(trackId);
    if (i !== undefined && strength > 0) played.push([i, Math.log1p(strength)]);
  }
  const cold = played.length === 0;
  // A listener with no history but seed artists is profiled from those artists' most popular tracks.
  const seeds = new Set(history.seedArtists);
  const basis: [number, number][] = played.length
    ? played
    : seeds.size === 0
      ? []
      : Array.from({ length: n }, (_, i) => i)
          .filter((i) => seeds.has(state.artistOf[i]))
          .sort((a, b) => state.popularity[b] - state.popularity[a])
          .slice(0, 5 * Math.max(1, seeds.size))
          .map((i) => [i, 1]);
  const avoid = c.excludeSkipped ? new Set([...history.avoidArtists, ...history.skippedOnlyArtists]) : history.avoidArtists;
  const effectiveWeights: Record<SourceName, number> = { collaborative: 0, text: 0, audio: 0, popularity: weights.popularity, novelty: weights.novelty };
  const cf = state.collaborative;
  let userVector: Float32Array | null = null;
  if (cf && basis.length) {
    const row = cf.userRow.get(history.userId);
    if (row !== undefined && played.length) {
      const k = cf.model.userFactors.cols;
      userVector = cf.model.userFactors.data.slice(row * k, row * k + k);
    } else {
      // Fold in a listener the model has not seen (or a cold one's seed tracks), without retraining.
      const known = basis.filter(([i]) => cf.modelItem[i] >= 0);
      if (known.length) {
        userVector = cf.model.recalculateUser(
          Int32Array.from(known, ([i]) => cf.modelItem[i]),
          Float32Array.from(known, ([, w]) => Math.expm1(w)),
        );
      }
    }
    if (userVector) effectiveWeights.collaborative = weights.collaborative;
  }
  const textProfile = state.text && basis.length ? profile(state.text.unitTracks, basis) : null;
  if (textProfile) effectiveWeights.text = weights.text;
  const audioProfile = state.audio && basis.length ? profile(state.audio.unitTracks, basis, state.audio.has) : null;
  if (audioProfile) effectiveWeights.audio = weights.audio;
  return { history, played, basis, cold, avoid, userVector, textProfile, audioProfile, effectiveWeights };
}

/**
 * One listener's weekly playlist from the blend: candidates are every track the listener never
 * played (nothing by an artist they disliked); each source scores them (collaborative
 * x_u . y_i, with the audio-predicted vector standing in for tracks nobody has played; cultural
 * and audio similarity to the listener's taste profile; popularity; novelty = an artist new to
 * them), scores are z-normalised per listener, weighted, and the top of the blend is re-ranked
 * by maximal marginal relevance under the artist cap and the known-artist share.
 * This is the exhaustive reference, one listener at a time; `pickForListeners` (batch.ts) makes
 * the same playlists for blocks of listeners with native matrix products.
 */
export function pickForListener(
  state: ModelState,
  history: ListenerHistory,
  weights: BlendWeights,
  c: BlendConstraints,
  options: PickOptions = {},
): PlaylistPick {
  const n = state.trackIds.length;
  const setup = listenerSetup(state, history, weights, c);
  const { avoid, effectiveWeights } = setup;

  // Plain loops over the catalogue: this runs once per listener over every track.
  const eligible = new Uint8Array(n).fill(1);
  for (const trackId of history.heard.keys()) {
    const i = state.indexOfTrack.get(trackId);
    if (i !== undefined) eligible[i] = 0;
  }
  if (avoid.size > 0) for (let i = 0; i < n; i++) if (avoid.has(state.artistOf[i])) eligible[i] = 0;
  const novelty = new Float32Array(n);
  for (let i = 0; i < n; i++) novelty[i] = history.knownArtists.has(state.artistOf[i]) ? 0 : 1;

  const sourceScores: Record<SourceName, Float32Array> = {
    collaborative: new Float32Array(n),
    text: new Float32Array(n),
    audio: new Float32Array(n),
    popularity: state.logPopularity,
    novelty,
  };
  if (state.collaborative && setup.userVector) sourceScores.collaborative = scoreAll(state.collaborative.items, setup.userVector);
  if (state.text && setup.textProfile) sourceScores.text = scoreAll(state.text.unitTracks, setup.textProfile);
  if (state.audio && setup.audioProfile) sourceScores.audio = scoreAll(state.audio.unitTracks, setup.audioProfile);
  const { total, parts } = blendZScores(
    SOURCES.map((s) => ({ weight: effectiveWeights[s], scores: sourceScores[s] })),
    eligible,
    n,
  );

  const head = new TopK(headSize(c));
  for (let i = 0; i < n; i++) if (eligible[i] && total[i] > head.threshold) head.push(i, total[i]);
  const pool = Array.from(head.sorted().ids);
  const partsOf = (i: number) => Object.fromEntries(SOURCES.map((s, k) => [s, parts[k][i]])) as Record<SourceName, number>;
  options.onHead?.({ setup, pool, total: (i) => total[i], parts: partsOf });
  return finishPlaylist(state, setup, c, pool, (i) => total[i], partsOf, options.exploration);
}

/** How many of the blend's best candidates maximal marginal relevance re-ranks. */
export function headSize(c: BlendConstraints): number {
  return Math.max(200, 10 * c.playlistSize);
}

/**
 * Re-ranks the head of the blend (`pool`, best first) for diversity under the hard constraints,
 * gives `c.explorationSlots` slots to exploration from the whole head when `exploration` is
 * given (exploration.ts), and explains each pick.
 */
export function finishPlaylist(
  state: ModelState,
  setup: ListenerSetup,
  c: BlendConstraints,
  pool: number[],
  total: (i: number) => number,
  parts: (i: number) => Record<SourceName, number>,
  exploration?: Random,
): PlaylistPick {
  const { history, basis, cold, effectiveWeights } = setup;
  const cf = state.collaborative;
  const similarityRows = cf ? cf.unitItems : state.text ? state.text.unitTracks : state.audio ? state.audio.unitTracks : null;
  const perArtist = new Map<number, number>();
  const maxKnown = Math.floor(c.knownArtistShare * c.playlistSize);
  let known = 0;
  const picked = mmrSelect({
    candidates: pool,
    relevance: pool.map(total),
    similarity: (a, b) =>
      similarityRows ? dot(similarityRows.data, a * similarityRows.cols, similarityRows.data, b * similarityRows.cols, similarityRows.cols) : 0,
    diversity: similarityRows ? c.diversity : 0,
    k: c.playlistSize,
    accept: (i) => {
      const artist = state.artistOf[i];
      if ((perArtist.get(artist) ?? 0) >= c.artistCap) return false;
      const isKnown = history.knownArtists.has(artist);
      if (isKnown && !cold && known >= maxKnown) return false;
      perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
      if (isKnown) known++;
      return true;
    },
  });

  const rankOf = new Map(pool.map((i, r) => [i, r + 1]));
  const slots = exploration ? Math.min(c.explorationSlots ?? DEFAULT_EXPLORATION_SLOTS, c.playlistSize) : 0;
  const chosen =
    slots === 0
      ? picked.map((row) => ({ row, explored: false, propensity: 1 }))
      : withExploration(picked, pool, c.playlistSize, slots, exploration!, (row, so) => {
          // The same hard constraints as the blend's picks, over the tracks chosen so far.
          const artist = state.artistOf[row];
          let sameArtist = 0,
            knownSoFar = 0;
          for (const j of so) {
            if (state.artistOf[j] === artist) sameArtist++;
            if (history.knownArtists.has(state.artistOf[j])) knownSoFar++;
          }
          if (sameArtist >= c.artistCap) return false;
          return !(history.knownArtists.has(artist) && !cold && knownSoFar >= maxKnown);
        });
  const items = chosen.map(({ row: i, explored, propensity }) => {
    const scores = parts(i);
    return {
      trackId: state.trackIds[i],
      score: total(i),
      scores,
      reason: explain(state, history, basis, i, scores, cold),
      rank: rankOf.get(i)!,
      explored,
      propensity,
    };
  });
  const status = cold ? "COLD_START" : items.length < c.playlistSize ? "SHORT" : "COMPLETE";
  return { status, items, effectiveWeights };
}

/** The listener's history item most similar to track i under `rows` (unit vectors), or -1. */
function closestInHistory(rows: { cols: number; data: Float32Array } | null, basis: [number, number][], i: number, has?: Uint8Array): number {
  if (!rows) return -1;
  let best = -1,
    bestSim = -Infinity;
  for (const [j, w] of basis) {
    if (has && !has[j]) continue;
    const sim = dot(rows.data, i * rows.cols, rows.data, j * rows.cols, rows.cols) * (1 + 0.1 * w);
    if (sim > bestSim) {
      bestSim = sim;
      best = j;
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
  scores: Record<SourceName, number>,
  cold: boolean,
): string {
  const top = (Object.entries(scores) as [SourceName, number][]).sort((a, b) => b[1] - a[1])[0][0];
  const artistOf = (j: number) => state.artistName.get(state.artistOf[j]) ?? "an artist you play";
  const brandNew = state.coldTrack[i] ? "brand new, " : "";
  if (cold && history.seedArtists.length) {
    const j = closestInHistory(state.collaborative?.unitItems ?? state.text?.unitTracks ?? null, basis, i);
    return `because you picked ${j >= 0 ? artistOf(j) : state.artistName.get(history.seedArtists[0])} when you joined`;
  }
  if (cold) return "popular with Deepcuts listeners: play a few songs and next week's list will be yours";
  if (top === "audio" && state.audio) {
    const j = closestInHistory(state.audio.unitTracks, basis, i, state.audio.has);
    if (j >= 0) return `${brandNew}sounds like "${state.trackTitle[j]}" by ${artistOf(j)}`;
  }
  if (top === "text" && state.text) {
    // The artist you play whose cultural vector is closest to this track's.
    let bestArtist = -1,
      bestSim = -Infinity;
    const k = state.text.unitTracks.cols;
    for (const artist of history.knownArtists.keys()) {
      const v = state.text.unitArtists.get(artist);
      if (!v) continue;
      const sim = dot(state.text.unitTracks.data, i * k, v, 0, k);
      if (sim > bestSim) {
        bestSim = sim;
        bestArtist = artist;
      }
    }
    if (bestArtist >= 0) return `${brandNew}described like ${state.artistName.get(bestArtist)}`;
  }
  if ((top === "collaborative" || top === "text" || top === "audio") && state.collaborative) {
    const j = closestInHistory(state.collaborative.unitItems, basis, i);
    if (j >= 0) {
      if (state.collaborative.fromAudio[i]) return `brand new, and it sounds like what you play from ${artistOf(j)}`;
      return `because you play ${artistOf(j)} a lot`;
    }
  }
  if (top === "novelty") return `new to you: ${state.artistName.get(state.artistOf[i])}, popular with listeners like you`;
  return "popular with Deepcuts listeners, and new to you";
}
