import { normaliseRows } from "../core/vector.ts";
import type { Csr, DenseMatrix } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import type { CfKernels } from "./kernels.ts";

export interface RecommendOptions {
  /** Items per user. */
  n: number;
  /** Leave out items already in the user's history (default true). */
  filterLiked?: boolean;
  /** Item indices never to recommend. */
  filterItems?: Int32Array;
}

/** Row-major results: `n` per user, best first, padded with id -1 and score -Infinity. */
export interface Recommendations {
  ids: Int32Array;
  scores: Float32Array;
}

/** What the evaluation harness and the weekly job need from any recommender. */
export interface Recommender {
  recommend(userIndices: Int32Array, userItems: Csr, options: RecommendOptions): Recommendations;
}

export interface FitOptions {
  /** Called after every iteration with 1-based `iteration`. */
  onIteration?: (iteration: number, total: number, info: IterationInfo) => void;
  /** Stops training between half-sweeps with `CancelledError`. */
  signal?: AbortSignal;
}

export interface IterationInfo {
  /** Seconds this iteration took. */
  seconds: number;
  /** Backend device that ran the heavy kernels. */
  device: string;
}

/**
 * Checks a recommend request and returns, per requested user, where their history lies in
 * `userItems`: either one row per requested user (as implicit takes it) or the full matrix
 * indexed by user index.
 */
export function historyRowOf(userIndices: Int32Array, userItems: Csr, userCount: number, itemCount: number, n: number): (b: number) => number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (userItems.cols !== itemCount) throw new RangeError(`userItems has ${userItems.cols} columns but the model knows ${itemCount} items`);
  for (let b = 0; b < userIndices.length; b++) {
    const u = userIndices[b];
    if (!(u >= 0 && u < userCount)) throw new RangeError(`userIndices[${b}] = ${u} is outside 0..${userCount - 1}`);
  }
  if (userItems.rows === userIndices.length) return (b) => b;
  if (userItems.rows === userCount) return (b) => userIndices[b];
  throw new RangeError(`userItems must have one row per requested user (${userIndices.length}) or one per known user (${userCount}), got ${userItems.rows}`);
}

/** Keeps the top n of one score row, skipping excluded items; pads the output with -1 / -Infinity. */
export function selectTopN(
  scores: Float32Array,
  offset: number,
  itemCount: number,
  n: number,
  excluded: Uint8Array,
  outIds: Int32Array,
  outScores: Float32Array,
  outOffset: number,
): void {
  const top = new TopK(Math.min(n, itemCount));
  for (let i = 0; i < itemCount; i++) {
    if (excluded[i]) continue;
    const s = scores[offset + i];
    if (s > top.threshold || top.threshold === -Infinity) top.push(i, s);
  }
  const best = top.sorted();
  outIds.fill(-1, outOffset, outOffset + n);
  outScores.fill(-Infinity, outOffset, outOffset + n);
  outIds.set(best.ids, outOffset);
  outScores.set(best.scores, outOffset);
}

/**
 * Batched recommendation from a score function: scores blocks of users at once (one kernel call
 * per block), then filters and keeps the top n of each row.
 */
export function recommendByScores(
  scoreBlock: (users: Int32Array) => Float32Array,
  userIndices: Int32Array,
  userItems: Csr,
  options: RecommendOptions,
  userCount: number,
  itemCount: number,
): Recommendations {
  const n = options.n;
  const rowOf = historyRowOf(userIndices, userItems, userCount, itemCount, n);
  const filterLiked = options.filterLiked ?? true;
  const always = new Uint8Array(itemCount);
  for (const i of options.filterItems ?? []) {
    if (!(i >= 0 && i < itemCount)) throw new RangeError(`filterItems holds ${i}, outside 0..${itemCount - 1}`);
    always[i] = 1;
  }
  const ids = new Int32Array(userIndices.length * n);
  const scores = new Float32Array(userIndices.length * n);
  const excluded = new Uint8Array(itemCount);
  const block = Math.max(1, Math.floor((1 << 22) / Math.max(1, itemCount)));
  for (let start = 0; start < userIndices.length; start += block) {
    const users = userIndices.subarray(start, Math.min(userIndices.length, start + block));
    const blockScores = scoreBlock(users);
    for (let j = 0; j < users.length; j++) {
      const b = start + j;
      excluded.set(always);
      if (filterLiked) {
        const r = rowOf(b);
        for (let q = userItems.indptr[r]; q < userItems.indptr[r + 1]; q++) excluded[userItems.indices[q]] = 1;
      }
      selectTopN(blockScores, j * itemCount, itemCount, n, excluded, ids, scores, b * n);
    }
  }
  return { ids, scores };
}

/** Factor-model scoring X_u Y^T (+ item bias) through a backend's `scores` kernel. */
export function factorScoreBlock(kernels: CfKernels, userFactors: DenseMatrix, itemFactors: DenseMatrix, itemBias: Float32Array | null) {
  const k = userFactors.cols;
  return (users: Int32Array): Float32Array => {
    const queries = new Float32Array(users.length * k);
    for (let j = 0; j < users.length; j++) queries.set(userFactors.data.subarray(users[j] * k, users[j] * k + k), j * k);
    return kernels.scores({ rows: users.length, cols: k, data: queries }, itemFactors, itemBias);
  };
}

/** Rows scaled to unit length (zero rows stay zero), for cosine similarity. */
export function normalisedRows(m: DenseMatrix): DenseMatrix {
  return { rows: m.rows, cols: m.cols, data: normaliseRows(m.data, m.cols) };
}

/** The n rows most cosine-similar to row `index` (itself left out), best first. */
export function mostSimilar(kernels: CfKernels, normalised: DenseMatrix, index: number, n: number, what: string): Recommendations {
  if (!Number.isInteger(index) || index < 0 || index >= normalised.rows) {
    throw new RangeError(`${what} must be 0..${normalised.rows - 1}, got ${index}`);
  }
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const k = normalised.cols;
  const query = { rows: 1, cols: k, data: normalised.data.slice(index * k, index * k + k) };
  const scores = kernels.scores(query, normalised, null);
  const excluded = new Uint8Array(normalised.rows);
  excluded[index] = 1;
  const ids = new Int32Array(n),
    out = new Float32Array(n);
  selectTopN(scores, 0, normalised.rows, n, excluded, ids, out, 0);
  return { ids, scores: out };
}
