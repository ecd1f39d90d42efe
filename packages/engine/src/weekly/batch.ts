import type { DenseMatrix, Random } from "@deepcuts/models/core";
import { createTopKScorer, ScoreMoments, type ScorerOptions, type TopKScorer } from "@deepcuts/models/score";
import {
  BLEND_SOURCES,
  dotRow,
  finishPlaylist,
  headSize,
  listenerSetup,
  type BlendConstraints,
  type BlendSource,
  type BlendWeights,
  type ListenerHistory,
  type ListenerSetup,
  type ModelState,
  type PlaylistPick,
  stateDots,
  type RowDots,
} from "@deepcuts/models/blend";

type VectorSource = "collaborative" | "text" | "audio" | "coMention";

interface SourceColumns {
  name: VectorSource;
  matrix: DenseMatrix;
  /** First column of this source in the joint matrix. */
  offset: number;
  moments: ScoreMoments;
}

/**
 * What batched scoring keeps per model state: every vector source and popularity side by side in
 * one joint matrix (tracks x [collaborative | text | audio | co-mention | log popularity]), the
 * sources' score moments, and the native scorer over the joint matrix.
 */
export interface BatchScoring {
  joint: DenseMatrix;
  sources: SourceColumns[];
  popularityColumn: number;
  popularitySum: number;
  popularitySumSq: number;
  tracksOfArtist: Map<number, number[]>;
  scorer: TopKScorer;
}

const prepared = new WeakMap<ModelState, Map<string, Promise<BatchScoring>>>();

/**
 * The scorer backend when the caller names none (DEEPCUTS_SCORER): `auto` (onnxruntime where it
 * loads, else WebAssembly), `native` (fail without onnxruntime) or `fallback` (never load it).
 */
export function scorerBackend(env: NodeJS.ProcessEnv = process.env): NonNullable<ScorerOptions["backend"]> {
  const raw = env.DEEPCUTS_SCORER;
  if (raw === undefined || raw === "") return "auto";
  if (raw !== "auto" && raw !== "native" && raw !== "fallback") throw new RangeError(`DEEPCUTS_SCORER must be auto, native or fallback, got '${raw}'`);
  return raw;
}

/** Built once per loaded model state and backend (the scorer's sessions hold the catalogue). */
export function prepareBatchScoring(state: ModelState, options: ScorerOptions = {}): Promise<BatchScoring> {
  let byBackend = prepared.get(state);
  if (!byBackend) prepared.set(state, (byBackend = new Map<string, Promise<BatchScoring>>()));
  const backend = options.backend ?? scorerBackend();
  let p = byBackend.get(backend);
  if (!p) byBackend.set(backend, (p = build(state, { ...options, backend })));
  return p;
}

async function build(state: ModelState, options: ScorerOptions): Promise<BatchScoring> {
  const n = state.trackIds.length;
  const matrices: [VectorSource, DenseMatrix | undefined][] = [
    ["collaborative", state.collaborative?.items],
    ["text", state.text?.unitTracks],
    ["audio", state.audio?.unitTracks],
    // Each track's row is its artist's co-mention vector (zero when it has none).
    ["coMention", state.coMention?.unitTracks],
  ];
  const sources: SourceColumns[] = [];
  let width = 0;
  for (const [name, matrix] of matrices) {
    if (!matrix) continue;
    sources.push({ name, matrix, offset: width, moments: new ScoreMoments(matrix) });
    width += matrix.cols;
  }
  const popularityColumn = width++;
  const data = new Float32Array(n * width);
  for (const s of sources) {
    const k = s.matrix.cols;
    for (let i = 0; i < n; i++) data.set(s.matrix.data.subarray(i * k, i * k + k), i * width + s.offset);
  }
  let popularitySum = 0,
    popularitySumSq = 0;
  for (let i = 0; i < n; i++) {
    const p = state.logPopularity[i];
    data[i * width + popularityColumn] = p;
    popularitySum += p;
    popularitySumSq += p * p;
  }
  const tracksOfArtist = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = tracksOfArtist.get(state.artistOf[i]);
    if (list) list.push(i);
    else tracksOfArtist.set(state.artistOf[i], [i]);
  }
  const joint = { rows: n, cols: width, data };
  return { joint, sources, popularityColumn, popularitySum, popularitySumSq, tracksOfArtist, scorer: await createTopKScorer(joint, options) };
}

/** Score of row i against query u, rounded to float32 as the exhaustive path stores it. */
function score(m: DenseMatrix, i: number, u: Float32Array): number {
  return Math.fround(dotRow(m.data, i, m.cols, u));
}

/** One source's per-listener z-score: z(i) = (s(i) - mean) / std over the eligible tracks; std 0 = no contribution. */
interface ZScale {
  mean: number;
  std: number;
  weight: number;
}

/** Mean and std over eligible tracks from sums over all tracks minus the ineligible ones. */
function eligibleScale(sum: number, sumSq: number, eligible: number, weight: number): ZScale {
  const mean = eligible ? sum / eligible : 0;
  const variance = eligible > 1 ? Math.max(0, sumSq / eligible - mean * mean) : 0;
  const std = Math.sqrt(variance);
  return { mean, std, weight: std < 1e-12 ? 0 : weight };
}

interface ListenerPlan {
  setup: ListenerSetup;
  ineligible: Set<number>;
  vectors: Partial<Record<VectorSource, Float32Array>>;
  scales: Record<BlendSource, ZScale>;
}

function plan(state: ModelState, b: BatchScoring, setup: ListenerSetup): ListenerPlan {
  const n = state.trackIds.length;
  const { history, effectiveWeights } = setup;
  const ineligible = new Set<number>();
  for (const trackId of history.heard.keys()) {
    const i = state.indexOfTrack.get(trackId);
    if (i !== undefined) ineligible.add(i);
  }
  for (const artist of setup.avoid) for (const i of b.tracksOfArtist.get(artist) ?? []) ineligible.add(i);
  const eligible = n - ineligible.size;
  const zero: ZScale = { mean: 0, std: 0, weight: 0 };
  const scales = Object.fromEntries(BLEND_SOURCES.map((name) => [name, zero])) as Record<BlendSource, ZScale>;
  const vectors: ListenerPlan["vectors"] = {
    collaborative: setup.userVector ?? undefined,
    text: setup.textProfile ?? undefined,
    audio: setup.audioProfile ?? undefined,
    coMention: setup.coMentionProfile ?? undefined,
  };
  const dots = stateDots(state);
  const ineligibleRows = Int32Array.from(ineligible);
  const raw = new Float64Array(ineligibleRows.length);
  for (const s of b.sources) {
    const u = vectors[s.name];
    if (!u || effectiveWeights[s.name] === 0) continue;
    // Sums over the whole catalogue from the moments, then the ineligible tracks taken out.
    const all = s.moments.of(u);
    let sum = n * all.mean,
      sumSq = n * (all.std * all.std + all.mean * all.mean);
    dots.dots(s.matrix, ineligibleRows, ineligibleRows.length, u, raw);
    for (let r = 0; r < raw.length; r++) {
      const v = Math.fround(raw[r]);
      sum -= v;
      sumSq -= v * v;
    }
    scales[s.name] = eligibleScale(sum, sumSq, eligible, effectiveWeights[s.name]);
  }
  if (effectiveWeights.popularity !== 0) {
    let sum = b.popularitySum,
      sumSq = b.popularitySumSq;
    for (const i of ineligible) {
      const p = state.logPopularity[i];
      sum -= p;
      sumSq -= p * p;
    }
    scales.popularity = eligibleScale(sum, sumSq, eligible, effectiveWeights.popularity);
  }
  if (effectiveWeights.novelty !== 0) {
    // Novelty is 1 for a track by an artist new to the listener: count the eligible known ones.
    let known = 0;
    for (const artist of history.knownArtists.keys()) for (const i of b.tracksOfArtist.get(artist) ?? []) if (!ineligible.has(i)) known++;
    const novel = eligible - known;
    scales.novelty = eligibleScale(novel, novel, eligible, effectiveWeights.novelty);
  }
  return { setup, ineligible, vectors, scales };
}

/** One source with a non-zero weight for one listener, in blend order: what its part of a track's score needs. */
interface ActivePart extends ZScale {
  name: BlendSource;
  /** The source's track vectors and the listener's query (vector sources only). */
  matrix: DenseMatrix | null;
  query: Float32Array | null;
}

function activeParts(p: ListenerPlan, matrixOf: Map<BlendSource, DenseMatrix>): ActivePart[] {
  const out: ActivePart[] = [];
  for (const name of BLEND_SOURCES) {
    const z = p.scales[name];
    if (z.weight === 0) continue;
    const vector = name === "collaborative" || name === "text" || name === "audio" || name === "coMention";
    out.push({ ...z, name, matrix: vector ? matrixOf.get(name)! : null, query: vector ? p.vectors[name]! : null });
  }
  return out;
}

/** One source's weighted z-score of track i, in float32 steps as blendZScores makes them. */
function partOf(state: ModelState, p: ListenerPlan, a: ActivePart, i: number): number {
  const raw = a.matrix
    ? score(a.matrix, i, a.query!)
    : a.name === "popularity"
      ? state.logPopularity[i]
      : p.setup.history.knownArtists.has(state.artistOf[i])
        ? 0
        : 1;
  return weighted(a, raw);
}

/** A raw score as its weighted z-score, in float32 steps as blendZScores makes them. */
function weighted(a: ZScale, raw: number): number {
  return Math.fround(Math.fround((raw - a.mean) / a.std) * a.weight);
}

/**
 * The blended score of each head row, as `partOf` summed in blend order gives it: each vector
 * source's products for the whole head in one call (stateDots: equal to `dotRow`'s bit for bit).
 */
function headTotals(state: ModelState, p: ListenerPlan, active: ActivePart[], rows: Int32Array, dots: RowDots): Float64Array {
  const found = rows.length;
  const totals = new Float64Array(found);
  const raw = new Float64Array(found);
  for (const a of active) {
    if (a.matrix) {
      dots.dots(a.matrix, rows, found, a.query!, raw);
      for (let r = 0; r < found; r++) totals[r] = Math.fround(totals[r] + weighted(a, Math.fround(raw[r])));
    } else for (let r = 0; r < found; r++) totals[r] = Math.fround(totals[r] + partOf(state, p, a, rows[r]));
  }
  return totals;
}

export interface BatchPickOptions extends ScorerOptions {
  /** Per listener (same order as the histories), the seeded source of its exploration slots. */
  exploration?: (Random | undefined)[];
  /** Seconds spent, added to what is there: the bench prints the split of a whole run. */
  timings?: BatchTimings;
}

/** Where `pickForListeners` spends its time, in seconds. */
export interface BatchTimings {
  /**
   * Once per model state and process: the joint matrix, the sources' score moments and the
   * scorer's sessions (the first batch pays it, later ones find it ready).
   */
  setup: number;
  /** Profiles, per-listener score moments, and the native product with its fused top-k. */
  scoring: number;
  /** Each source's score of the head's candidates, and the head's order. */
  selection: number;
  /** Maximal marginal relevance under the constraints, exploration slots, explanations. */
  blendAndMmr: number;
}

const since = (from: number) => (performance.now() - from) / 1000;

/**
 * The weekly playlists of many listeners at once, the same as `pickForListener` gives each of
 * them. The blend is linear in each source's scores once each source's per-listener mean and
 * spread are known (they come from the catalogue's score moments, minus the ineligible tracks),
 * so the head of the blend is one top-k of the joint matrix against one query per listener:
 * native matrix products for blocks of listeners, top-k fused, heard tracks and avoided artists
 * dropped from the candidates and novelty applied to them (scorer filter). Only the head is then
 * scored source by source, for the re-ranking and the explanations.
 * Differences from the exhaustive path: blended scores that agree to float32 rounding may order
 * differently (the moments are summed in another order), which can swap tracks at the edge of
 * the head or between two nearly equal picks.
 */
export async function pickForListeners(
  state: ModelState,
  histories: ListenerHistory[],
  weights: BlendWeights,
  c: BlendConstraints,
  options: BatchPickOptions = {},
): Promise<PlaylistPick[]> {
  if (histories.length === 0) return [];
  let clock = performance.now();
  const b = await prepareBatchScoring(state, options);
  const timings = options.timings;
  if (timings) timings.setup += since(clock);
  clock = performance.now();
  const plans = histories.map((h) => plan(state, b, listenerSetup(state, h, weights, c)));
  const width = b.joint.cols;
  const queries = new Float32Array(plans.length * width);
  const novelty = new Float64Array(plans.length);
  plans.forEach((p, q) => {
    for (const s of b.sources) {
      const u = p.vectors[s.name],
        z = p.scales[s.name];
      if (!u || z.weight === 0) continue;
      const f = z.weight / z.std;
      for (let j = 0; j < s.matrix.cols; j++) queries[q * width + s.offset + j] = f * u[j];
    }
    const pop = p.scales.popularity;
    if (pop.weight !== 0) queries[q * width + b.popularityColumn] = pop.weight / pop.std;
    if (p.scales.novelty.weight !== 0) novelty[q] = p.scales.novelty.weight / p.scales.novelty.std;
  });
  // Candidates' final scores never exceed the product's (the selection stays exact): novelty is
  // a penalty on the tracks it does not favour, ineligible tracks are dropped.
  const filter = (q: number, i: number, s: number) => {
    const p = plans[q];
    if (p.ineligible.has(i)) return -Infinity;
    const f = novelty[q];
    if (f === 0) return s;
    const isNew = !p.setup.history.knownArtists.has(state.artistOf[i]);
    return f > 0 ? (isNew ? s : s - f) : isNew ? s + f : s;
  };
  const k = Math.min(headSize(c), state.trackIds.length, 4096);
  // Room for the tracks the filter drops: enough for 9 listeners in 10; the rest are rescanned exactly.
  const dropped = plans.map((p) => p.ineligible.size).sort((x, y) => x - y);
  const overFetch = Math.min(4096 - k, dropped[Math.floor(0.9 * (dropped.length - 1))]);
  const top = await b.scorer.topK({ queries: { rows: plans.length, cols: width, data: queries }, k, filter, overFetch });
  if (timings) timings.scoring += since(clock);

  const matrixOf = new Map(b.sources.map((s) => [s.name, s.matrix]));
  const dots = stateDots(state);
  // Blended scores by catalogue row, shared by the listeners in turn: each reads only its own head's rows.
  const totalOfRow = new Float64Array(state.trackIds.length);
  const totalOf = (i: number) => totalOfRow[i];
  return plans.map((p, q) => {
    clock = performance.now();
    const found = top.found[q];
    const rows = top.items.subarray(q * k, q * k + found);
    const active = activeParts(p, matrixOf);
    const totals = headTotals(state, p, active, rows, dots);
    const order = Array.from({ length: found }, (_, r) => r).sort((x, y) => totals[y] - totals[x] || rows[x] - rows[y]);
    const pool = order.map((r) => rows[r]);
    for (let r = 0; r < found; r++) totalOfRow[rows[r]] = totals[r];
    if (timings) timings.selection += since(clock);
    clock = performance.now();
    const parts = (i: number) => {
      const out: Record<BlendSource, number> = { collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 0, novelty: 0 };
      for (const a of active) out[a.name] = partOf(state, p, a, i);
      return out;
    };
    const pick = finishPlaylist(state, p.setup, c, pool, totalOf, parts, options.exploration?.[q]);
    if (timings) timings.blendAndMmr += since(clock);
    return pick;
  });
}
