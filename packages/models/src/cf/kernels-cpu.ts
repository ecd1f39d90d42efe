import { dot } from "../core/vector.ts";
import type { CfKernels } from "./kernels.ts";
import { simdGram, simdScores, simdSupported } from "./wasm-simd.ts";

let simd: boolean | undefined;

/**
 * Plain typed-array kernels: double accumulation for the Gram matrix and the CG products,
 * four-way unrolled sums for the scores (`dot` of core/vector.ts). What `cpuKernels` falls back
 * to without WebAssembly SIMD, and the baseline `npm run bench:cf` times the SIMD kernels against.
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
    const m = items.rows;
    const out = new Float32Array(queries.rows * m);
    for (let u = 0; u < queries.rows; u++) {
      for (let i = 0; i < m; i++) out[u * m + i] = dot(queries.data, u * k, items.data, i * k, k) + (itemBias ? itemBias[i] : 0);
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
