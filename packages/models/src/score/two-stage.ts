import type { DenseMatrix } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import { dotRow } from "./select.ts";

/**
 * Inner-product search as cosine search: each item gets one more coordinate,
 * sqrt(maxNorm^2 - |y|^2), so every row has the same length and a cosine index ranks items by
 * y . q for a query (q, 0). Bachrach et al., "Speeding up the Xbox recommender system using a
 * Euclidean transformation for inner-product spaces" (RecSys 2014), section 4.
 */
export function innerProductAsCosine(items: DenseMatrix): DenseMatrix {
  const { rows, cols, data } = items;
  let max = 0;
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += data[r * cols + c] ** 2;
    norms[r] = s;
    if (s > max) max = s;
  }
  const out = new Float32Array(rows * (cols + 1));
  for (let r = 0; r < rows; r++) {
    out.set(data.subarray(r * cols, (r + 1) * cols), r * (cols + 1));
    out[r * (cols + 1) + cols] = Math.sqrt(Math.max(0, max - norms[r]));
  }
  return { rows, cols: cols + 1, data: out };
}

/** One source of the blend: its item vectors, this listener's query, and the query's weight. */
export interface BlendSource {
  items: DenseMatrix;
  query: Float32Array;
  /** Weight divided by the source's score spread for this listener (a z-score's scale). */
  scale: number;
}

/** Second stage: the blended score sum_s scale_s * (y_s,i . q_s) of each candidate, top k best first. */
export function blendCandidates(
  sources: BlendSource[],
  candidates: ArrayLike<number>,
  k: number,
  filter?: (item: number, score: number) => number,
): { ids: Int32Array; scores: Float32Array } {
  const top = new TopK(k);
  const seen = new Set<number>();
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c];
    if (i < 0 || seen.has(i)) continue;
    seen.add(i);
    let s = 0;
    for (const src of sources) s += src.scale * dotRow(src.items.data, i, src.query, 0, src.items.cols);
    if (filter) s = filter(i, s);
    if (s > top.threshold) top.push(i, s);
  }
  return top.sorted();
}

/**
 * Mean and covariance of item . q over the catalogue come from the items' mean and Gram matrix:
 * mean = q . mu, variance = q^T (G/n - mu mu^T) q. One pass over the items, then d^2 per listener.
 */
export class ScoreMoments {
  readonly mean: Float64Array;
  private readonly covariance: Float64Array;

  constructor(readonly items: DenseMatrix) {
    const { rows, cols: d, data } = items;
    this.mean = new Float64Array(d);
    const gram = new Float64Array(d * d);
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      for (let a = 0; a < d; a++) {
        const x = data[o + a];
        this.mean[a] += x;
        for (let b = a; b < d; b++) gram[a * d + b] += x * data[o + b];
      }
    }
    for (let a = 0; a < d; a++) this.mean[a] /= rows;
    this.covariance = new Float64Array(d * d);
    for (let a = 0; a < d; a++)
      for (let b = a; b < d; b++) {
        const v = gram[a * d + b] / rows - this.mean[a] * this.mean[b];
        this.covariance[a * d + b] = v;
        this.covariance[b * d + a] = v;
      }
  }

  /** Mean and standard deviation of items . q over all items. */
  of(q: ArrayLike<number>): { mean: number; std: number } {
    const d = this.mean.length;
    let mean = 0,
      variance = 0;
    for (let a = 0; a < d; a++) {
      mean += this.mean[a] * q[a];
      let s = 0;
      for (let b = 0; b < d; b++) s += this.covariance[a * d + b] * q[b];
      variance += q[a] * s;
    }
    return { mean, std: Math.sqrt(Math.max(0, variance)) };
  }
}
