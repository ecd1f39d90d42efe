import { dot } from "../core/vector.ts";
import type { DenseMatrix } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import type { CandidateFilter, TopKResult } from "./types.ts";

export function emptyResult(queries: number, k: number): TopKResult {
  return {
    k,
    items: new Int32Array(queries * k).fill(-1),
    scores: new Float32Array(queries * k).fill(-Infinity),
    found: new Int32Array(queries),
    rescanned: 0,
  };
}

/** Writes one query's kept items, best first, into row q of the result. */
export function writeRow(result: TopKResult, q: number, top: TopK): void {
  const { ids, scores } = top.sorted();
  result.items.set(ids, q * result.k);
  result.scores.set(scores, q * result.k);
  result.found[q] = ids.length;
}

/** Items . query, accumulated as the engine's plain loop does (four partial sums in double precision). */
export function dotRow(items: Float32Array, row: number, query: Float32Array, qOff: number, dim: number): number {
  return dot(items, row * dim, query, qOff, dim);
}

/** Exact scan of every item for one query (the reference and the last resort of the fused path). */
export function scanQuery(items: DenseMatrix, queries: DenseMatrix, q: number, k: number, filter?: CandidateFilter): TopK {
  const top = new TopK(k);
  const dim = items.cols;
  for (let i = 0; i < items.rows; i++) {
    let s = Math.fround(dotRow(items.data, i, queries.data, q * dim, dim));
    if (filter) s = filter(q, i, s);
    if (s > top.threshold) top.push(i, s);
  }
  return top;
}
