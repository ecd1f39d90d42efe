import type { Csr, DenseMatrix } from "../core/matrix.ts";
import { gaussian, type Random } from "../core/random.ts";
import { CancelledError } from "../core/errors.ts";

export interface TruncatedSvd {
  /** Left singular vectors, rows x k, row-major. */
  u: DenseMatrix;
  /** Singular values, largest first. */
  s: Float32Array;
  /** Right singular vectors, cols x k, row-major (term loadings in LSA). */
  v: DenseMatrix;
}

export interface SvdOptions {
  /** Extra random directions beyond k (default 10). */
  oversample?: number;
  /** Power iterations, sharpening a slowly decaying spectrum (default 3). */
  powerIterations?: number;
  random: Random;
  signal?: AbortSignal;
}

// Tall matrices are column-major Float64Array here: `cols` vectors of length `length`.

/** y[:, c] = A x[:, c] for CSR A (m x n) and column-major x (n x l). */
function multiply(a: Csr, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let c = 0; c < l; c++) {
    const xo = c * a.cols,
      yo = c * a.rows;
    for (let r = 0; r < a.rows; r++) {
      let sum = 0;
      for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) sum += a.data[k] * x[xo + a.indices[k]];
      y[yo + r] = sum;
    }
  }
  return y;
}

/** z[:, c] = A^T q[:, c] for CSR A (m x n) and column-major q (m x l). */
function multiplyTransposed(a: Csr, q: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let c = 0; c < l; c++) {
    const qo = c * a.rows,
      zo = c * a.cols;
    for (let r = 0; r < a.rows; r++) {
      const qr = q[qo + r];
      if (qr === 0) continue;
      for (let k = a.indptr[r]; k < a.indptr[r + 1]; k++) z[zo + a.indices[k]] += a.data[k] * qr;
    }
  }
  return z;
}

/** Orthonormalises the l columns in place (modified Gram-Schmidt, twice for stability); a dependent column becomes zero. */
function orthonormalise(x: Float64Array, length: number, l: number): void {
  for (let j = 0; j < l; j++) {
    const xj = x.subarray(j * length, (j + 1) * length);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const xi = x.subarray(i * length, (i + 1) * length);
        let dot = 0;
        for (let t = 0; t < length; t++) dot += xi[t] * xj[t];
        for (let t = 0; t < length; t++) xj[t] -= dot * xi[t];
      }
    }
    let norm = 0;
    for (let t = 0; t < length; t++) norm += xj[t] * xj[t];
    norm = Math.sqrt(norm);
    const scale = norm > 1e-10 ? 1 / norm : 0;
    for (let t = 0; t < length; t++) xj[t] *= scale;
  }
}

/**
 * Eigen-decomposition of a symmetric l x l matrix (row-major, destroyed) by cyclic Jacobi
 * rotations (Golub & Van Loan, Matrix Computations, 4th ed., Algorithm 8.5.3).
 * Returns eigenvalues and eigenvectors as columns of a row-major matrix.
 */
export function symmetricEigen(m: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += m[p * l + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = m[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * l + q] - m[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < l; k++) {
          const mkp = m[k * l + p],
            mkq = m[k * l + q];
          m[k * l + p] = c * mkp - s * mkq;
          m[k * l + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < l; k++) {
          const mpk = m[p * l + k],
            mqk = m[q * l + k];
          m[p * l + k] = c * mpk - s * mqk;
          m[q * l + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p],
            vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = m[i * l + i];
  return { values, vectors: v };
}

/**
 * Rank-k truncated SVD of a sparse matrix by randomized range finding with power iterations
 * (Halko, Martinsson & Tropp 2011, "Finding structure with randomness", Algorithms 4.4 and 5.1).
 */
export function randomizedSvd(a: Csr, k: number, options: SvdOptions): TruncatedSvd {
  const maxK = Math.min(a.rows, a.cols);
  if (!Number.isInteger(k) || k < 1 || k > maxK) throw new RangeError(`k must be 1..${maxK} (min of rows and cols), got ${k}`);
  const l = Math.min(maxK, k + (options.oversample ?? 10));
  const iterations = options.powerIterations ?? 3;
  const check = () => {
    if (options.signal?.aborted) throw new CancelledError("randomized SVD");
  };
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(options.random);
  let q = multiply(a, omega, l);
  orthonormalise(q, a.rows, l);
  for (let it = 0; it < iterations; it++) {
    check();
    // Orthonormalising on the short (row) side only: the term side is far longer and
    // Q stays well conditioned for the few iterations used (Halko et al., sec. 4.5).
    q = multiply(a, multiplyTransposed(a, q, l), l);
    orthonormalise(q, a.rows, l);
  }
  check();
  // B = Q^T A is l x n; we hold B^T (n x l, column-major) and take the eigenvectors of B B^T.
  const bt = multiplyTransposed(a, q, l);
  const gram = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let dot = 0;
      const oi = i * a.cols,
        oj = j * a.cols;
      for (let t = 0; t < a.cols; t++) dot += bt[oi + t] * bt[oj + t];
      gram[i * l + j] = dot;
      gram[j * l + i] = dot;
    }
  }
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, i) => i)
    .sort((x, y) => values[y] - values[x])
    .slice(0, k);
  const u = new Float32Array(a.rows * k),
    v = new Float32Array(a.cols * k),
    s = new Float32Array(k);
  order.forEach((e, c) => {
    const sigma = Math.sqrt(Math.max(values[e], 0));
    s[c] = sigma;
    // U = Q W and V = B^T W / sigma, column by column.
    for (let r = 0; r < a.rows; r++) {
      let sum = 0;
      for (let i = 0; i < l; i++) sum += q[i * a.rows + r] * vectors[i * l + e];
      u[r * k + c] = sum;
    }
    if (sigma > 0) {
      for (let t = 0; t < a.cols; t++) {
        let sum = 0;
        for (let i = 0; i < l; i++) sum += bt[i * a.cols + t] * vectors[i * l + e];
        v[t * k + c] = sum / sigma;
      }
    }
  });
  return { u: { rows: a.rows, cols: k, data: u }, s, v: { rows: a.cols, cols: k, data: v } };
}
