import type { CfKernels } from "./kernels.ts";
import type { RowProblem } from "./als-rows.ts";

/**
 * The same warm-started conjugate gradient as `solveRowsCg`, but run over a batch of rows at a
 * time so that every A_u p_u of a step is one `cgProducts` kernel call: the shape a GPU needs.
 * Scalars (alpha, beta, residual norms) stay per row and are computed here.
 */
export function solveRowsBatchedCg(kernels: CfKernels, pr: RowProblem, rows: number, steps: number, batchSize = 2048): void {
  const { k, solving, fixed, indptr, indices, confidence } = pr;
  const gram = Float32Array.from(pr.gram);
  for (let start = 0; start < rows; start += batchSize) {
    const end = Math.min(rows, start + batchSize);
    const n = end - start;
    const q0 = indptr[start];
    const local = new Int32Array(n + 1);
    for (let u = 0; u <= n; u++) local[u] = indptr[start + u] - q0;
    const batch = {
      k,
      gram,
      fixed,
      indptr: local,
      indices: indices.subarray(q0, indptr[end]),
      confidence: confidence.subarray(q0, indptr[end]),
    };
    const x = solving.slice(start * k, end * k);
    const ax = kernels.cgProducts({ ...batch, directions: x });
    // r = b - A x with b_u = sum_i c_ui y_i.
    const r = new Float64Array(n * k);
    for (let u = 0; u < n; u++) {
      for (let q = local[u]; q < local[u + 1]; q++) {
        const c = batch.confidence[q],
          yi = batch.indices[q] * k;
        for (let b = 0; b < k; b++) r[u * k + b] += c * fixed[yi + b];
      }
      for (let b = 0; b < k; b++) r[u * k + b] -= ax[u * k + b];
    }
    const p = Float32Array.from(r);
    const rsOld = new Float64Array(n);
    const active = new Uint8Array(n);
    for (let u = 0; u < n; u++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += r[u * k + b] * r[u * k + b];
      rsOld[u] = s;
      active[u] = s < 1e-20 ? 0 : 1;
    }
    for (let it = 0; it < steps; it++) {
      const ap = kernels.cgProducts({ ...batch, directions: p });
      for (let u = 0; u < n; u++) {
        if (!active[u]) continue;
        const o = u * k;
        let pap = 0;
        for (let b = 0; b < k; b++) pap += p[o + b] * ap[o + b];
        if (!(pap > 0)) {
          active[u] = 0;
          continue;
        }
        const alpha = rsOld[u] / pap;
        let rsNew = 0;
        for (let b = 0; b < k; b++) {
          x[o + b] += alpha * p[o + b];
          r[o + b] -= alpha * ap[o + b];
          rsNew += r[o + b] * r[o + b];
        }
        if (rsNew < 1e-20) {
          active[u] = 0;
          continue;
        }
        const beta = rsNew / rsOld[u];
        for (let b = 0; b < k; b++) p[o + b] = r[o + b] + beta * p[o + b];
        rsOld[u] = rsNew;
      }
    }
    solving.set(x, start * k);
  }
}
