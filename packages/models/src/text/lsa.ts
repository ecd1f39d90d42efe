import type { Csr } from "../core/matrix.ts";
import type { Random } from "../core/random.ts";
import { randomizedSvd } from "./svd.ts";

/**
 * A latent semantic space (Deerwester et al. 1990): term loadings V_k from a truncated SVD of
 * the entity x term matrix. An entity's dense vector is x V_k (= U_k S_k for the rows it was
 * fitted on), so entities added later fold in without refitting.
 */
export interface LsaSpace {
  dims: number;
  singularValues: Float32Array;
  /** Term ids that have a loading row, ascending. */
  termIds: Int32Array;
  /** termIds.length x dims, row-major. */
  loadings: Float32Array;
  /**
   * Mean of the fitted rows' projections (dims), subtracted from every projection before it is
   * normalised: the direction all documents share says nothing about which are alike (the
   * common-component removal of Arora, Liang & Ma 2017, as a mean). Zeros leave vectors as they are.
   */
  center: Float32Array;
}

export interface LsaFitOptions {
  dims: number;
  random: Random;
  oversample?: number;
  powerIterations?: number;
  signal?: AbortSignal;
}

export function fitLsa(matrix: Csr, options: LsaFitOptions): LsaSpace {
  // Only columns that carry weight: fewer loadings to store, same factorisation.
  const used = new Int32Array(matrix.cols).fill(-1);
  const termIds: number[] = [];
  for (const t of matrix.indices) {
    if (used[t] < 0) {
      used[t] = 0;
      termIds.push(t);
    }
  }
  termIds.sort((a, b) => a - b);
  termIds.forEach((t, c) => (used[t] = c));
  const compact: Csr = { ...matrix, cols: termIds.length, indices: Int32Array.from(matrix.indices, (t) => used[t]) };
  const dims = Math.min(options.dims, compact.rows, compact.cols);
  if (dims < 1) throw new RangeError(`LSA needs at least one entity with weighted terms, got ${compact.rows} entities and ${compact.cols} terms`);
  const svd = randomizedSvd(compact, dims, options);
  const space: LsaSpace = { dims, singularValues: svd.s, termIds: Int32Array.from(termIds), loadings: svd.v.data, center: new Float32Array(dims) };
  // The mean projection is the projection of the mean row: (1/n) sum_e x_e V = ((1/n) sum_e x_e) V.
  const center = new Float64Array(dims);
  for (let k = 0; k < compact.indices.length; k++) {
    const w = compact.data[k],
      o = compact.indices[k] * dims;
    for (let d = 0; d < dims; d++) center[d] += w * space.loadings[o + d];
  }
  for (let d = 0; d < dims; d++) space.center[d] = center[d] / Math.max(1, compact.rows);
  return space;
}

/** Dense vectors x V_k - center of every row of a sparse matrix, each L2-normalised (rows x dims); a row without loaded terms stays zero. */
export function projectRows(matrix: Csr, space: LsaSpace): Float32Array {
  const rowOf = new Int32Array(matrix.cols).fill(-1);
  space.termIds.forEach((t, r) => {
    if (t < rowOf.length) rowOf[t] = r;
  });
  const { dims, loadings, center } = space;
  const out = new Float32Array(matrix.rows * dims);
  const acc = new Float64Array(dims);
  for (let e = 0; e < matrix.rows; e++) {
    acc.fill(0);
    let loaded = false;
    for (let k = matrix.indptr[e]; k < matrix.indptr[e + 1]; k++) {
      const r = rowOf[matrix.indices[k]];
      if (r < 0) continue;
      loaded = true;
      const w = matrix.data[k],
        o = r * dims;
      for (let d = 0; d < dims; d++) acc[d] += w * loadings[o + d];
    }
    if (!loaded) continue;
    for (let d = 0; d < dims; d++) acc[d] -= center[d];
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += acc[d] * acc[d];
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) out[e * dims + d] = acc[d] * scale;
  }
  return out;
}
