import type { Csr } from "../core/matrix.ts";
import { userMetricsAt } from "../eval/metrics.ts";
import type { ListenerHistory } from "./listener-history.ts";
import type { ModelState } from "./model-state.ts";
import { pickForListener } from "./playlist.ts";
import { BLEND_SOURCES, defaultBlendConstraints, type BlendConstraints, type BlendWeights } from "./weights.ts";

// Offline evaluation of the blend's playlists on held-out listening, through the engine's own
// `pickForListener`. Recall is the shared metric (eval/metrics.ts, denominator min(size, held out)).

/** Weights with every source left out of `weights` at 0: one source alone, or a subset. */
export function weightsOnly(weights: Partial<BlendWeights>): BlendWeights {
  return Object.fromEntries(BLEND_SOURCES.map((s) => [s, weights[s] ?? 0])) as BlendWeights;
}

/**
 * Rows of a listener x track matrix as listener histories: listener id = row, track id =
 * column + 1 (ids start at 1), artists known from `artistOfTrack` (by column), weighted by plays.
 */
export function listenerHistoriesFromCsr(matrix: Csr, artistOfTrack: Int32Array): ListenerHistory[] {
  return Array.from({ length: matrix.rows }, (_, u) => {
    const heard = new Map<number, number>();
    const knownArtists = new Map<number, number>();
    for (let k = matrix.indptr[u]; k < matrix.indptr[u + 1]; k++) {
      const t = matrix.indices[k];
      heard.set(t + 1, matrix.data[k]);
      knownArtists.set(artistOfTrack[t], (knownArtists.get(artistOfTrack[t]) ?? 0) + matrix.data[k]);
    }
    return { userId: u, heard, avoidArtists: new Set(), skippedOnlyArtists: new Set(), knownArtists, seedArtists: [] };
  });
}

/** Recall of real held-out listening in the playlists one way of ranking makes. */
export interface RecallResult {
  /** Mean over listeners of hits / min(playlist size, held-out tracks). */
  recall: number;
  /** The same, counting only tracks the collaborative model never saw played (held out of its training entirely). */
  recallNewToCollaborative: number;
  hits: number;
  listeners: number;
}

/**
 * The playlists `weights` makes (default constraints) for `listeners`, against each one's held-out
 * tracks `relevant[u]` (by column, as listenerHistoriesFromCsr numbers them); `newToCollaborative`
 * are the columns the collaborative model never saw. `picks` receives each listener's playlist.
 */
export function playlistRecall(
  state: ModelState,
  weights: BlendWeights,
  listeners: number[],
  history: ListenerHistory[],
  relevant: Set<number>[],
  newToCollaborative: Set<number>,
  picks?: Map<number, number[]>,
): RecallResult {
  const size = defaultBlendConstraints.playlistSize;
  let recall = 0,
    recallNew = 0,
    counted = 0,
    countedNew = 0,
    hits = 0;
  for (const u of listeners) {
    if (relevant[u].size === 0) continue;
    const items = pickForListener(state, history[u], weights, defaultBlendConstraints).items.map((i) => i.trackId - 1);
    picks?.set(u, items);
    const all = userMetricsAt(items, [...relevant[u]], size);
    // precision = hits / size: the hit count back as an integer.
    hits += Math.round(all.precision * size);
    recall += all.recall;
    counted++;
    const relevantNew = [...relevant[u]].filter((t) => newToCollaborative.has(t));
    if (relevantNew.length) {
      recallNew += userMetricsAt(items, relevantNew, size).recall;
      countedNew++;
    }
  }
  return { recall: counted ? recall / counted : 0, recallNewToCollaborative: countedNew ? recallNew / countedNew : 0, hits, listeners: counted };
}

/** What a blend's playlists are worth against held-out listening. */
export interface PlaylistMetrics {
  /** Mean over listeners of held-out tracks in the playlist / min(playlist size, held-out tracks): recall@30 at the default size. */
  recall: number;
  /** Distinct tracks in all the evaluated playlists / tracks in the catalogue. */
  coverage: number;
  /** Mean over playlists of distinct artists / tracks in the playlist. */
  artistDiversity: number;
  /** Mean self-information of the tracks placed, -log2 of the share of listeners who played each (Zhou et al. 2010): higher is less mainstream. */
  novelty: number;
}

/**
 * Sums playlists (as track ids) of one blend into PlaylistMetrics. `listenersOfTrack[i]` counts
 * the listeners who played catalogue track i in the training data, out of `listenerCount`.
 */
export class PlaylistTally {
  listeners = 0;
  private recall = 0;
  private placed = new Set<number>();
  private diversity = 0;
  private playlists = 0;
  private information = 0;
  private slots = 0;

  constructor(
    private readonly state: ModelState,
    private readonly listenersOfTrack: Float32Array,
    private readonly listenerCount: number,
  ) {}

  /** One listener's playlist against their held-out tracks (at least one). */
  add(trackIds: number[], relevant: Set<number>, constraints: Pick<BlendConstraints, "playlistSize">) {
    this.recall += userMetricsAt(trackIds, [...relevant], constraints.playlistSize).recall;
    this.listeners++;
    if (trackIds.length === 0) return;
    const artists = new Set<number>();
    for (const t of trackIds) {
      this.placed.add(t);
      const i = this.state.indexOfTrack.get(t)!;
      artists.add(this.state.artistOf[i]);
      this.information += -Math.log2((this.listenersOfTrack[i] + 1) / (this.listenerCount + 1));
      this.slots++;
    }
    this.diversity += artists.size / trackIds.length;
    this.playlists++;
  }

  metrics(): PlaylistMetrics {
    const catalogue = this.state.trackIds.length;
    return {
      recall: this.listeners ? this.recall / this.listeners : 0,
      coverage: catalogue ? this.placed.size / catalogue : 0,
      artistDiversity: this.playlists ? this.diversity / this.playlists : 0,
      novelty: this.slots ? this.information / this.slots : 0,
    };
  }
}
