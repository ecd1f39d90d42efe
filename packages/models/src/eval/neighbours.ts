import { TopK, type DenseMatrix } from "../core/index.ts";

/** How readable a set of vectors' cosine neighbours are, and whether they share a label. */
export interface NeighbourReport {
  k: number;
  queries: number;
  /** Quantiles of every query's top-k neighbour cosines, pooled. */
  scoreQuantiles: { p10: number; p50: number; p90: number; max: number };
  /** Quantiles of the cosines of every pair of rows: what an unrelated track scores. */
  allPairsQuantiles: { p10: number; p50: number; p90: number };
  /** Mean over queries of (best neighbour's cosine - k-th neighbour's): ~0 when everything ties. */
  meanTopKRange: number;
  /** Share of the top-k neighbours that carry the query's label. */
  labelAgreement: number;
  /** The same share for neighbours drawn at random from the other rows (exact expectation). */
  randomAgreement: number;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at),
    hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * Exact cosine top-k neighbours of every row among the others (rows of zeros score 0), their
 * score spread, and how often a neighbour shares the query's label (a genre).
 */
export function neighbourReport(vectors: DenseMatrix, labels: ArrayLike<string | number>, k = 10): NeighbourReport {
  const n = vectors.rows,
    d = vectors.cols;
  if (labels.length !== n) throw new RangeError(`labels has ${labels.length} entries for ${n} vectors`);
  if (!Number.isInteger(k) || k < 1 || k >= n) throw new RangeError(`k must be 1..${n - 1} (rows - 1), got ${k}`);
  const unit = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += vectors.data[r * d + j] ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) unit[r * d + j] = vectors.data[r * d + j] * inv;
  }
  const pooled = new Float64Array(n * k);
  const pairs = new Float64Array((n * (n - 1)) / 2);
  let pair = 0;
  let range = 0,
    agree = 0;
  for (let q = 0; q < n; q++) {
    const top = new TopK(k);
    for (let r = 0; r < n; r++) {
      if (r === q) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += unit[q * d + j] * unit[r * d + j];
      top.push(r, s);
      if (r > q) pairs[pair++] = s;
    }
    const { ids, scores } = top.sorted();
    range += scores[0] - scores[k - 1];
    for (let i = 0; i < k; i++) {
      pooled[q * k + i] = scores[i];
      if (labels[ids[i]] === labels[q]) agree++;
    }
  }
  pooled.sort();
  pairs.sort();
  // A random other row shares the query's label with probability (count - 1) / (n - 1).
  const counts = new Map<string | number, number>();
  for (let r = 0; r < n; r++) counts.set(labels[r], (counts.get(labels[r]) ?? 0) + 1);
  let random = 0;
  for (const c of counts.values()) random += (c * (c - 1)) / (n - 1);
  return {
    k,
    queries: n,
    scoreQuantiles: { p10: quantile(pooled, 0.1), p50: quantile(pooled, 0.5), p90: quantile(pooled, 0.9), max: pooled[pooled.length - 1] },
    allPairsQuantiles: { p10: quantile(pairs, 0.1), p50: quantile(pairs, 0.5), p90: quantile(pairs, 0.9) },
    meanTopKRange: range / n,
    labelAgreement: agree / (n * k),
    randomAgreement: random / n,
  };
}
