import type { DenseMatrix } from "../core/matrix.ts";
import { simdGram, simdScores, simdSupported } from "./wasm-simd.ts";

let simd: boolean | undefined;

/**
 * Inputs of the batched conjugate-gradient product A_u p_u for a batch of rows u, where
 * A_u = Y^T Y + lambda I + Y^T (C_u - I) Y (Hu, Koren and Volinsky 2008, eq. 4; Takacs et al. 2011).
 */
export interface CgProductBatch {
  k: number;
  /** One direction p_u per row of the batch, batch x k row-major. */
  directions: Float32Array;
  /** Y^T Y + lambda I of the fixed side, k x k. */
  gram: Float32Array;
  /** Factors of the fixed side Y, m x k row-major. */
  fixed: Float32Array;
  /** The batch's rows of the confidence matrix, with a local indptr of batch+1 offsets. */
  indptr: Int32Array;
  indices: Int32Array;
  confidence: Float32Array;
}

/** The heavy kernels, with one signature per operation whatever runs them. */
export interface CfKernels {
  /** Y^T Y of an m x k matrix: k x k, row-major. */
  gram(factors: DenseMatrix): Float32Array;
  /** A_u p_u for every row of the batch: batch x k, row-major. */
  cgProducts(batch: CgProductBatch): Float32Array;
  /** X Y^T (+ itemBias per column): queries.rows x items.rows, row-major. */
  scores(queries: DenseMatrix, items: DenseMatrix, itemBias?: Float32Array | null): Float32Array;
}

/**
 * Plain typed-array kernels: double accumulation for the Gram matrix and the CG products,
 * four-way unrolled float sums for the scores. What `cpuKernels` falls back to without WebAssembly
 * SIMD, and the baseline `npm run bench:cf` times the SIMD kernels against.
 */
export const typedArrayKernels: CfKernels = {
  gram(factors) {
    const { rows: m, cols: k, data: y } = factors;
    const acc = new Float64Array(k * k);
    // Accumulate the upper triangle of the outer products row by row (cache friendly), mirror at the end.
    for (let r = 0; r < m; r++) {
      const off = r * k;
      for (let a = 0; a < k; a++) {
        const ya = y[off + a];
        if (ya === 0) continue;
        const rowA = a * k;
        for (let b = a; b < k; b++) acc[rowA + b] += ya * y[off + b];
      }
    }
    const out = new Float32Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        out[a * k + b] = acc[a * k + b];
        out[b * k + a] = acc[a * k + b];
      }
    }
    return out;
  },

  cgProducts(batch) {
    const { k, directions: p, gram: g, fixed: y, indptr, indices, confidence } = batch;
    const rows = indptr.length - 1;
    const out = new Float32Array(rows * k);
    const ap = new Float64Array(k);
    for (let u = 0; u < rows; u++) {
      const pu = u * k;
      for (let a = 0; a < k; a++) {
        let s = 0;
        const ga = a * k;
        for (let b = 0; b < k; b++) s += g[ga + b] * p[pu + b];
        ap[a] = s;
      }
      for (let q = indptr[u]; q < indptr[u + 1]; q++) {
        const yi = indices[q] * k;
        let t = 0;
        for (let b = 0; b < k; b++) t += y[yi + b] * p[pu + b];
        t *= confidence[q] - 1;
        for (let b = 0; b < k; b++) ap[b] += t * y[yi + b];
      }
      for (let a = 0; a < k; a++) out[pu + a] = ap[a];
    }
    return out;
  },

  scores(queries, items, itemBias) {
    const k = queries.cols;
    if (items.cols !== k) throw new RangeError(`queries have ${k} factors but items have ${items.cols}`);
    const x = queries.data,
      y = items.data,
      m = items.rows;
    const out = new Float32Array(queries.rows * m);
    const k4 = k - (k % 4);
    for (let u = 0; u < queries.rows; u++) {
      const xu = u * k,
        ou = u * m;
      for (let i = 0; i < m; i++) {
        const yi = i * k;
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        let b = 0;
        for (; b < k4; b += 4) {
          s0 += x[xu + b] * y[yi + b];
          s1 += x[xu + b + 1] * y[yi + b + 1];
          s2 += x[xu + b + 2] * y[yi + b + 2];
          s3 += x[xu + b + 3] * y[yi + b + 3];
        }
        for (; b < k; b++) s0 += x[xu + b] * y[yi + b];
        out[ou + i] = s0 + s1 + s2 + s3 + (itemBias ? itemBias[i] : 0);
      }
    }
    return out;
  },
};

/**
 * The CPU kernels: the WebAssembly SIMD Gram and scores kernels (float32 sums) where the runtime
 * has SIMD and the width is a multiple of 4, the typed-array loops otherwise. The CG products stay
 * typed-array: ALS runs its CG through the generated module of wasm-cg.ts (simd-rows.ts) instead.
 * `npm run bench:cf` times each kernel both ways (docs/bench-cf.md).
 */
export const cpuKernels: CfKernels = {
  gram(factors) {
    simd ??= simdSupported();
    const fast = simd && factors.cols % 4 === 0 ? simdGram(factors.data, factors.rows, factors.cols) : null;
    return fast ?? typedArrayKernels.gram(factors);
  },

  cgProducts: (batch) => typedArrayKernels.cgProducts(batch),

  scores(queries, items, itemBias) {
    const k = queries.cols;
    if (items.cols !== k) throw new RangeError(`queries have ${k} factors but items have ${items.cols}`);
    simd ??= simdSupported();
    const fast = simd && k % 4 === 0 ? simdScores(queries.data, items.data, itemBias ?? null, queries.rows, items.rows, k) : null;
    return fast ?? typedArrayKernels.scores(queries, items, itemBias);
  },
};
