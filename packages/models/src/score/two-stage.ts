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
 * Mean and covariance of item . q over the catalogue come from the items' mean and covariance:
 * mean = q . mu, variance = q^T C q. Two passes over the items (mean, covariance), then d^2 per
 * listener.
 */
export class ScoreMoments {
  readonly mean: Float64Array;
  private readonly covariance: Float64Array;

  constructor(readonly items: DenseMatrix) {
    const { rows, cols: d, data } = items;
    this.mean = new Float64Array(d);
    for (let r = 0; r < rows; r++) for (let a = 0; a < d; a++) this.mean[a] += data[r * d + a];
    for (let a = 0; a < d; a++) this.mean[a] /= rows || 1;
    this.covariance = covariance(items, this.mean);
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

/** Rows of the centring block: its columns (d x 256 float64) stay in the core's cache. */
const GRAM_BLOCK = 256;

/**
 * Mean over rows of (x - mean)(x - mean)^T, symmetric, in float64: rows in blocks, each block
 * centred and transposed so that a pair of columns is two contiguous runs, four sums (two columns
 * by two) per pass over them: about four times faster than a row at a time (docs/benchmarks.md,
 * "Setup apart"), which the weekly run pays once per model state and worker.
 */
function covariance(items: DenseMatrix, mean: Float64Array): Float64Array {
  const { rows, cols: d, data } = items;
  const pairs = d + (d % 2); // an odd last column pairs with a zero column
  const block = new Float64Array(pairs * GRAM_BLOCK);
  const gram = new Float64Array(pairs * pairs);
  for (let r0 = 0; r0 < rows; r0 += GRAM_BLOCK) {
    const m = Math.min(GRAM_BLOCK, rows - r0);
    for (let r = 0; r < m; r++) {
      const o = (r0 + r) * d;
      for (let a = 0; a < d; a++) block[a * GRAM_BLOCK + r] = data[o + a] - mean[a];
    }
    for (let a = 0; a < pairs; a += 2) {
      const x0 = a * GRAM_BLOCK,
        x1 = x0 + GRAM_BLOCK;
      for (let b = a; b < pairs; b += 2) {
        const y0 = b * GRAM_BLOCK,
          y1 = y0 + GRAM_BLOCK;
        let s00 = 0,
          s01 = 0,
          s10 = 0,
          s11 = 0;
        for (let r = 0; r < m; r++) {
          const u0 = block[x0 + r],
            u1 = block[x1 + r],
            v0 = block[y0 + r],
            v1 = block[y1 + r];
          s00 += u0 * v0;
          s01 += u0 * v1;
          s10 += u1 * v0;
          s11 += u1 * v1;
        }
        gram[a * pairs + b] += s00;
        gram[a * pairs + b + 1] += s01;
        gram[(a + 1) * pairs + b] += s10;
        gram[(a + 1) * pairs + b + 1] += s11;
      }
    }
  }
  const out = new Float64Array(d * d);
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = gram[a * pairs + b] / (rows || 1);
      out[a * d + b] = v;
      out[b * d + a] = v;
    }
  return out;
}
