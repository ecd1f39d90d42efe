import type { ImplicitAls } from "../cf/als.ts";
import { normalisedRows } from "../cf/recommend.ts";
import type { DenseMatrix } from "../core/matrix.ts";
import { RowDots } from "../cf/wasm-dots.ts";

export type { RowDots };

// What the blend reads, laid out in catalogue order from the catalogue and each trained source
// (`assembleModelState`); loading them from the database is the engine's (weekly/load-model-state.ts).

/** Rows of `source` (keyed by entity id) laid out in catalogue order; `has[i]` marks rows found. */
interface AlignedVectors {
  matrix: DenseMatrix;
  has: Uint8Array;
}

function align(ids: ArrayLike<number>, source: DenseMatrix, order: Map<number, number>, size: number): AlignedVectors {
  const k = source.cols;
  const data = new Float32Array(size * k);
  const has = new Uint8Array(size);
  for (let r = 0; r < ids.length; r++) {
    const i = order.get(ids[r]);
    if (i === undefined) continue;
    data.set(source.data.subarray(r * k, r * k + k), i * k);
    has[i] = 1;
  }
  return { matrix: { rows: size, cols: k, data }, has };
}

/**
 * Everything the blend reads, built once from the active model versions: the catalogue in id
 * order, popularity, and per source the track vectors aligned to the catalogue. A source whose
 * model is not trained is null, and the blend gives it weight zero.
 */
export interface ModelState {
  trackIds: Int32Array;
  indexOfTrack: Map<number, number>;
  artistOf: Int32Array;
  trackTitle: string[];
  artistName: Map<number, string>;
  /** Track had no listens when its collaborative model was trained (brand new or never played). */
  coldTrack: Uint8Array;
  popularity: Float32Array;
  /** log1p(popularity): the popularity source's scores, the same for every listener. */
  logPopularity: Float32Array;
  collaborative: null | {
    versionId: number;
    model: ImplicitAls;
    /** Listener id -> row of userFactors in the trained model. */
    userRow: Map<number, number>;
    /** Track index -> row of the model's item factors (-1 for tracks the model never saw). */
    modelItem: Int32Array;
    /** Item factors in catalogue order; cold tracks filled from the audio-predicted vectors when there are any. */
    items: DenseMatrix;
    unitItems: DenseMatrix;
    fromAudio: Uint8Array;
  };
  text: null | { versionId: number; unitTracks: DenseMatrix; unitArtists: Map<number, Float32Array> };
  audio: null | { versionId: number; unitTracks: DenseMatrix; has: Uint8Array };
  /**
   * Co-mention (artists written about together): each track's row is its artist's unit vector,
   * `has[i]` marks tracks whose artist has one (the others' rows are zero and score 0).
   */
  coMention: null | { versionId: number; unitTracks: DenseMatrix; has: Uint8Array; unitArtists: Map<number, Float32Array> };
  versions: Record<string, number>;
}

/** Loaded vectors: entity ids and the matching matrix rows. */
export interface IdVectors {
  ids: ArrayLike<number>;
  matrix: DenseMatrix;
}

/** What `assembleModelState` needs: the catalogue and each trained source, however it was obtained. */
export interface ModelStateInput {
  tracks: { id: number; artist_id: number; title: string }[];
  artists: { id: number; name: string }[];
  /** Popularity per track id (streams or the popularity model's score). */
  popularity: Map<number, number>;
  popularityVersionId?: number;
  collaborative: null | { versionId: number; model: ImplicitAls; userIds: ArrayLike<number>; itemTrackIds: ArrayLike<number> };
  text: null | { versionId: number; tracks: IdVectors; artists: IdVectors };
  audio: null | { versionId: number; tracks: IdVectors };
  /** Co-mention artist vectors (articles name artists, so there are no track vectors); absent = not trained. */
  coMention?: null | { versionId: number; artists: IdVectors };
}

/**
 * Lays every source out in catalogue order. A track the collaborative model saw with no listens
 * (a factor vector near zero) or never saw is cold; with an audio model, cold tracks take their
 * audio-predicted collaborative vector, scaled to a typical item's length.
 */
export function assembleModelState(input: ModelStateInput): ModelState {
  const { tracks, artists } = input;
  const n = tracks.length;
  const indexOfTrack = new Map(tracks.map((t, i) => [t.id, i]));
  const versions: Record<string, number> = {};
  if (input.popularityVersionId !== undefined) versions.POPULARITY = input.popularityVersionId;
  const popularity = Float32Array.from(tracks, (t) => input.popularity.get(t.id) ?? 0);

  let audio: ModelState["audio"] = null;
  if (input.audio) {
    const aligned = align(input.audio.tracks.ids, input.audio.tracks.matrix, indexOfTrack, n);
    audio = { versionId: input.audio.versionId, unitTracks: normalisedRows(aligned.matrix), has: aligned.has };
    versions.AUDIO_CNN = input.audio.versionId;
  }

  let collaborative: ModelState["collaborative"] = null;
  // Without a collaborative model, a track nobody streamed counts as cold.
  const coldTrack = Uint8Array.from(popularity, (p) => (p > 0 ? 0 : 1));
  if (input.collaborative) {
    const { model, versionId } = input.collaborative;
    const modelItem = new Int32Array(n).fill(-1);
    Array.from(input.collaborative.itemTrackIds).forEach((id, r) => {
      const i = indexOfTrack.get(id);
      if (i !== undefined) modelItem[i] = r;
    });
    const factors = model.itemFactors;
    const k = factors.cols;
    const items = new Float32Array(n * k);
    const fromAudio = new Uint8Array(n);
    coldTrack.fill(1);
    let normSum = 0,
      normCount = 0;
    for (let i = 0; i < n; i++) {
      const r = modelItem[i];
      if (r < 0) continue;
      const row = factors.data.subarray(r * k, r * k + k);
      let s = 0;
      for (let c = 0; c < k; c++) s += row[c] * row[c];
      // A track nobody had played when the model was trained has a factor vector near zero.
      if (s > 1e-8) {
        coldTrack[i] = 0;
        normSum += Math.sqrt(s);
        normCount++;
        items.set(row, i * k);
      }
    }
    // Cold tracks get their audio-predicted collaborative vector, scaled to a typical item's length
    // (the network predicts unit vectors of the same space).
    if (audio && audio.unitTracks.cols === k && normCount > 0) {
      const typical = normSum / normCount;
      for (let i = 0; i < n; i++) {
        if (!coldTrack[i] || !audio.has[i]) continue;
        for (let c = 0; c < k; c++) items[i * k + c] = audio.unitTracks.data[i * k + c] * typical;
        fromAudio[i] = 1;
      }
    }
    const matrix = { rows: n, cols: k, data: items };
    const userRow = new Map(Array.from(input.collaborative.userIds, (id, r) => [id, r]));
    collaborative = { versionId, model, userRow, modelItem, items: matrix, unitItems: normalisedRows(matrix), fromAudio };
    versions.ALS = versionId;
  }

  let text: ModelState["text"] = null;
  if (input.text) {
    const aligned = align(input.text.tracks.ids, input.text.tracks.matrix, indexOfTrack, n);
    const unitA = normalisedRows(input.text.artists.matrix);
    const unitArtists = new Map<number, Float32Array>();
    Array.from(input.text.artists.ids).forEach((id, r) => unitArtists.set(id, unitA.data.slice(r * unitA.cols, (r + 1) * unitA.cols)));
    text = { versionId: input.text.versionId, unitTracks: normalisedRows(aligned.matrix), unitArtists };
    versions.TEXT = input.text.versionId;
  }

  let coMention: ModelState["coMention"] = null;
  if (input.coMention) {
    const unitA = normalisedRows(input.coMention.artists.matrix);
    const k = unitA.cols;
    const unitArtists = new Map<number, Float32Array>();
    Array.from(input.coMention.artists.ids).forEach((id, r) => unitArtists.set(id, unitA.data.slice(r * k, (r + 1) * k)));
    const data = new Float32Array(n * k);
    const has = new Uint8Array(n);
    tracks.forEach((t, i) => {
      const v = unitArtists.get(t.artist_id);
      if (!v) return;
      data.set(v, i * k);
      has[i] = 1;
    });
    coMention = { versionId: input.coMention.versionId, unitTracks: { rows: n, cols: k, data }, has, unitArtists };
    versions.CO_MENTION = input.coMention.versionId;
  }

  return {
    trackIds: Int32Array.from(tracks, (t) => t.id),
    indexOfTrack,
    artistOf: Int32Array.from(tracks, (t) => t.artist_id),
    trackTitle: tracks.map((t) => t.title),
    artistName: new Map(artists.map((a) => [a.id, a.name])),
    coldTrack,
    popularity,
    logPopularity: popularity.map((p) => Math.log1p(p)),
    collaborative,
    text,
    audio,
    coMention,
    versions,
  };
}

const dotsOfState = new WeakMap<ModelState, RowDots>();

/**
 * The dot products of the state's vector rows (cf/wasm-dots.ts): the re-scoring of a listener's
 * head, maximal marginal relevance and the explanations run them. The state's vector matrices
 * are copied into a WebAssembly memory on first use, and the products there equal
 * core/vector.ts's `dot` bit for bit; with DEEPCUTS_WASM_DOTS=0, or without WebAssembly SIMD,
 * `dot` itself runs them.
 */
export function stateDots(state: ModelState): RowDots {
  if (globalThis.process?.env?.DEEPCUTS_WASM_DOTS === "0") return inJavaScript;
  let dots = dotsOfState.get(state);
  if (dots === undefined) {
    const matrices = [state.collaborative?.items, state.collaborative?.unitItems, state.text?.unitTracks, state.audio?.unitTracks, state.coMention?.unitTracks];
    dots = RowDots.create(matrices.filter((m): m is DenseMatrix => m !== undefined));
    dotsOfState.set(state, dots);
  }
  return dots;
}

const inJavaScript = RowDots.javascript();
