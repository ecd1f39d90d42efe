import type { Csr } from "../core/matrix.ts";

/** BM25 weighting of interaction strengths (see `bm25Weights`). */
export interface Bm25Params {
  /** Term-frequency saturation: a weight's count part tends to K1 + 1 as plays grow (default 100). */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full) (default 0.8). */
  b: number;
}

/** The `implicit` library's lastfm example settings (K1 100, B 0.8). */
export const bm25Defaults: Readonly<Bm25Params> = { k1: 100, b: 0.8 };

/**
 * ALS fitted on BM25-weighted plays, as chosen on the Last.fm validation splits of seeds 42 and 7
 * (docs/cf.md, BM25 paragraph): K1 200, B 0.8, raw confidence c = 1 + 0.025 w of the weights w,
 * regularization 20. The blend's ALS and the `ease-als` command's both start from it.
 */
export const bm25AlsChoice = {
  bm25: { k1: 200, b: 0.8 } as Readonly<Bm25Params>,
  als: { alpha: 0.025, regularization: 20, confidence: "raw" } as const,
};

/**
 * BM25 weights of a users x items matrix of interaction strengths (play counts), as the `implicit`
 * library's `bm25_weight` on users x items: each entry r of listener u and item i becomes
 * r (K1 + 1) / (K1 ((1 - B) + B len_u / mean len) + r) * idf_i, with len_u the listener's total
 * strength, mean len its mean over all listeners and idf_i = log N - log(1 + n_i), N listeners and
 * n_i those with an entry for i. An item every listener has (idf below 0 in `implicit`) gets
 * idf 0 here, so no weight is negative. Same sparsity pattern; a new matrix, the input untouched.
 */
export function bm25Weights(userItems: Csr, params: Partial<Bm25Params> = {}): Csr {
  const { k1, b } = { ...bm25Defaults, ...params };
  if (!(k1 > 0) || !Number.isFinite(k1)) throw new RangeError(`k1 must be a finite number > 0, got ${k1}`);
  if (!(b >= 0 && b <= 1)) throw new RangeError(`b must be between 0 and 1, got ${b}`);
  const { rows, cols, indptr, indices } = userItems;
  const n = indptr[rows];
  const listeners = new Float64Array(cols);
  const length = new Float64Array(rows);
  let total = 0;
  for (let u = 0; u < rows; u++) {
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const r = userItems.data[q];
      if (!(r >= 0) || !Number.isFinite(r)) throw new RangeError(`interaction strength must be finite and >= 0, got ${r} at entry ${q}`);
      listeners[indices[q]]++;
      length[u] += r;
    }
    total += length[u];
  }
  const meanLength = rows > 0 ? total / rows : 0;
  const data = new Float32Array(n);
  for (let u = 0; u < rows; u++) {
    const norm = 1 - b + (meanLength > 0 ? (b * length[u]) / meanLength : 0);
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const r = userItems.data[q];
      const idf = Math.max(0, Math.log(rows) - Math.log1p(listeners[indices[q]]));
      data[q] = r > 0 ? ((r * (k1 + 1)) / (k1 * norm + r)) * idf : 0;
    }
  }
  return { rows, cols, indptr: indptr.slice(0, rows + 1), indices: indices.slice(0, n), data };
}
