import type { Random } from "../core/random.ts";
import { TopK } from "../core/topk.ts";
import { dot } from "../core/vector.ts";
import { explain } from "./explain.ts";
import { DEFAULT_EXPLORATION_SLOTS, withExploration } from "./exploration.ts";
import type { ListenerHistory } from "./listener-history.ts";
import { mmrSelect } from "./mmr.ts";
import { stateDots, type ModelState } from "./model-state.ts";
import { blendZScores } from "./normalise.ts";
import { BLEND_SOURCES, type BlendConstraints, type BlendSource, type BlendWeights } from "./weights.ts";

export interface PlaylistItemPick {
  trackId: number;
  /** Blended score (sum of the weighted per-listener z-scores). */
  score: number;
  /** Each source's weighted z-score: what it contributed. */
  scores: Record<BlendSource, number>;
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
  parts: (i: number) => Record<BlendSource, number>;
}

export interface PlaylistPick {
  status: "COMPLETE" | "SHORT" | "COLD_START";
  items: PlaylistItemPick[];
  /** Weights actually used: a source whose model is not trained counts zero. */
  effectiveWeights: Record<BlendSource, number>;
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
 * Row `i` of `data` (width `k`) dotted with `query`, by core/vector.ts's `dot` (four independent
 * sums): the batch scorer re-scores candidates with it and must match the exhaustive path bit for bit.
 */
export function dotRow(data: Float32Array, i: number, k: number, query: Float32Array): number {
  return dot(data, i * k, query, 0, k);
}

/** Scores of every catalogue track against one query vector. */
function scoreAll(m: { rows: number; cols: number; data: Float32Array }, query: Float32Array): Float32Array {
  const out = new Float32Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = dotRow(m.data, i, m.cols, query);
  return out;
}

/** The seed artists' tracks, most popular first (ties in catalogue order), five per artist. */
function seedBasis(state: ModelState, seeds: Set<number>): [number, number][] {
  const tracks: number[] = [];
  for (let i = 0; i < state.artistOf.length; i++) if (seeds.has(state.artistOf[i])) tracks.push(i);
  return tracks
    .sort((a, b) => state.popularity[b] - state.popularity[a])
    .slice(0, 5 * Math.max(1, seeds.size))
    .map((i) => [i, 1]);
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
  /** The listener's artists' co-mention vectors, weighted as the tracks behind the other profiles. */
  coMentionProfile: Float32Array | null;
  effectiveWeights: Record<BlendSource, number>;
}

export function listenerSetup(state: ModelState, history: ListenerHistory, weights: BlendWeights, c: BlendConstraints): ListenerSetup {
  const played: [number, number][] = [];
  for (const [trackId, strength] of history.heard) {
    const i = state.indexOfTrack.get(trackId);
    if (i !== undefined && strength > 0) played.push([i, Math.log1p(strength)]);
  }
  const cold = played.length === 0;
  // A listener with no history but seed artists is profiled from those artists' most popular tracks.
  const seeds = new Set(history.seedArtists);
  const basis: [number, number][] = played.length ? played : seeds.size === 0 ? [] : seedBasis(state, seeds);
  const avoid = c.excludeSkipped ? new Set([...history.avoidArtists, ...history.skippedOnlyArtists]) : history.avoidArtists;
  const effectiveWeights: Record<BlendSource, number> = {
    collaborative: 0,
    text: 0,
    audio: 0,
    coMention: 0,
    popularity: weights.popularity,
    novelty: weights.novelty,
  };
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
  const coMentionProfile = state.coMention && basis.length ? profile(state.coMention.unitTracks, basis, state.coMention.has) : null;
  if (coMentionProfile) effectiveWeights.coMention = weights.coMention;
  return { history, played, basis, cold, avoid, userVector, textProfile, audioProfile, coMentionProfile, effectiveWeights };
}

/**
 * One listener's weekly playlist from the blend: candidates are every track the listener never
 * played (nothing by an artist they disliked); each source scores them (collaborative
 * x_u . y_i, with the audio-predicted vector standing in for tracks nobody has played; cultural
 * and audio similarity to the listener's taste profile; co-mention similarity of the track's
 * artist to the listener's artists, 0 for an artist no article names; popularity; novelty = an
 * artist new to them), scores are z-normalised per listener, weighted, and the top of the blend is re-ranked
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

  const sourceScores: Record<BlendSource, Float32Array> = {
    collaborative: new Float32Array(n),
    text: new Float32Array(n),
    audio: new Float32Array(n),
    coMention: new Float32Array(n),
    popularity: state.logPopularity,
    novelty,
  };
  if (state.collaborative && setup.userVector) sourceScores.collaborative = scoreAll(state.collaborative.items, setup.userVector);
  if (state.text && setup.textProfile) sourceScores.text = scoreAll(state.text.unitTracks, setup.textProfile);
  if (state.audio && setup.audioProfile) sourceScores.audio = scoreAll(state.audio.unitTracks, setup.audioProfile);
  if (state.coMention && setup.coMentionProfile) sourceScores.coMention = scoreAll(state.coMention.unitTracks, setup.coMentionProfile);
  const { total, parts } = blendZScores(
    BLEND_SOURCES.map((s) => ({ weight: effectiveWeights[s], scores: sourceScores[s] })),
    eligible,
    n,
  );

  const head = new TopK(headSize(c));
  for (let i = 0; i < n; i++) if (eligible[i] && total[i] > head.threshold) head.push(i, total[i]);
  const pool = Array.from(head.sorted().ids);
  const partsOf = (i: number) => Object.fromEntries(BLEND_SOURCES.map((s, k) => [s, parts[k][i]])) as Record<BlendSource, number>;
  options.onHead?.({ setup, pool, total: (i) => total[i], parts: partsOf });
  return finishPlaylist(state, setup, c, pool, (i) => total[i], partsOf, options.exploration);
}

/**
 * The playlist's hard constraints as a test of one row beside the rows chosen so far: at most
 * `artistCap` tracks by one artist, and (unless the listener is cold) at most the known-artist
 * share by artists they know. Both only tighten as rows are added, so a row refused once is
 * refused for good (maximal marginal relevance drops such a row without comparing it). The
 * chosen rows are counted once per list: the callers ask about many rows against one list they
 * only append to, or against a fresh list (withExploration, one per slot).
 */
function hardConstraints(state: ModelState, history: ListenerHistory, c: BlendConstraints, cold: boolean): (row: number, chosen: readonly number[]) => boolean {
  const maxKnown = Math.floor(c.knownArtistShare * c.playlistSize);
  const sameArtist = new Map<number, number>();
  let countedList: readonly number[] | null = null,
    countedLength = 0,
    known = 0;
  return (row, chosen) => {
    if (chosen !== countedList || chosen.length < countedLength) {
      countedList = chosen;
      countedLength = 0;
      known = 0;
      sameArtist.clear();
    }
    for (; countedLength < chosen.length; countedLength++) {
      const a = state.artistOf[chosen[countedLength]];
      sameArtist.set(a, (sameArtist.get(a) ?? 0) + 1);
      if (history.knownArtists.has(a)) known++;
    }
    const artist = state.artistOf[row];
    if ((sameArtist.get(artist) ?? 0) >= c.artistCap) return false;
    return !(history.knownArtists.has(artist) && !cold && known >= maxKnown);
  };
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
  parts: (i: number) => Record<BlendSource, number>,
  exploration?: Random,
): PlaylistPick {
  const { history, basis, cold, effectiveWeights } = setup;
  const cf = state.collaborative;
  const similarityRows = cf ? cf.unitItems : state.text ? state.text.unitTracks : state.audio ? state.audio.unitTracks : null;
  const dots = stateDots(state);
  const picked = mmrSelect({
    candidates: pool,
    relevance: pool.map(total),
    similarity: (a, b) => (similarityRows ? dots.pair(similarityRows, a, b) : 0),
    diversity: similarityRows ? c.diversity : 0,
    k: c.playlistSize,
    accept: hardConstraints(state, history, c, cold),
  });

  const slots = exploration ? Math.min(c.explorationSlots ?? DEFAULT_EXPLORATION_SLOTS, c.playlistSize) : 0;
  const chosen =
    slots === 0
      ? picked.map((row) => ({ row, explored: false, propensity: 1 }))
      : withExploration(picked, pool, c.playlistSize, slots, exploration!, hardConstraints(state, history, c, cold));
  const items = chosen.map(({ row: i, explored, propensity }) => {
    const scores = parts(i);
    return {
      trackId: state.trackIds[i],
      score: total(i),
      scores,
      reason: explain(state, history, basis, i, scores, cold, dots),
      rank: pool.indexOf(i) + 1,
      explored,
      propensity,
    };
  });
  const status = cold ? "COLD_START" : items.length < c.playlistSize ? "SHORT" : "COMPLETE";
  return { status, items, effectiveWeights };
}
