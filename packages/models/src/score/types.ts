import type { DenseMatrix } from "../core/matrix.ts";

/**
 * Optional per-(query, item) rule applied to candidates: returns the item's final score, which
 * must not exceed `score` (a penalty, or -Infinity to drop the item: a track already heard, an
 * artist the listener avoids). The raw score is then an upper bound, which keeps the fused
 * selection exact.
 */
export type CandidateFilter = (query: number, item: number, score: number) => number;

export interface TopKRequest {
  /** Query vectors, one row per listener, `cols` equal to the items' cols. */
  queries: DenseMatrix;
  /** Items wanted per query (1..4096). */
  k: number;
  filter?: CandidateFilter;
  /** Items per query the filter is expected to drop; overrides the scorer's `overFetch`. */
  overFetch?: number;
}

/**
 * Row q holds query q's best items, best first (ties: lower item row first), in
 * items[q*k .. q*k + found[q]); the rest of the row is -1 / -Infinity.
 */
export interface TopKResult {
  k: number;
  items: Int32Array;
  scores: Float32Array;
  found: Int32Array;
  /** Queries whose candidates could not prove the top k: scored again with more room (native), or scanned exactly. */
  rescanned: number;
}

export type ScorerBackend = "onnxruntime" | "wasm" | "js";

/** Top-k of items . query for blocks of queries, never materialising a full score matrix in JavaScript. */
export interface TopKScorer {
  readonly backend: ScorerBackend;
  readonly items: DenseMatrix;
  topK(request: TopKRequest): Promise<TopKResult>;
  dispose(): Promise<void>;
}

export function checkRequest(items: DenseMatrix, request: TopKRequest): void {
  const { queries, k } = request;
  if (!Number.isInteger(k) || k < 1 || k > 4096) throw new RangeError(`k must be an integer 1..4096, got ${k}`);
  if (queries.cols !== items.cols) throw new RangeError(`queries must have ${items.cols} cols like the items, got ${queries.cols}`);
  if (queries.data.length < queries.rows * queries.cols)
    throw new RangeError(`queries.data must hold rows*cols = ${queries.rows * queries.cols} values, got ${queries.data.length}`);
}
