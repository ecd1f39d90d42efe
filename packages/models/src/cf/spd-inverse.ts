import { CancelledError, ModelFitError } from "../core/errors.ts";
import { SPD_BLOCK, spdPlacement } from "./wasm-spd.ts";

/**
 * In-place inverse of a symmetric positive definite n x n matrix (row-major Float64Array, both
 * triangles filled on entry, the full symmetric inverse on return), through its Cholesky factor:
 * A = L L^T, V = L^-T (upper), A^-1 = V V^T. Three passes of about n^3/6 multiply-adds each, all
 * as dot products of contiguous rows, four rows at a time so each streamed row serves four sums.
 * Storage: L in the strict lower triangle with its diagonal aside, V in the upper triangle, then
 * A^-1 in the lower triangle, mirrored at the end; no second n x n buffer.
 * `onPass(pass, 3)` reports progress; `signal` is checked every few rows (the caller yields).
 *
 * The arithmetic is fixed by blocks of four: an entry outside its four-row block's own triangle
 * is a sum times a reciprocal (`(A - s) x (1 / L[j][j])`, `s x (-1 / L[i][i])`), an entry inside it
 * (and in a last block of fewer than four) a quotient, and every sum adds its products in
 * increasing k. On a matrix from `spdMatrix` (wasm-spd.ts) blocks of SPD_BLOCK (8) rows run in
 * WebAssembly, each the two blocks of four it holds, with these same operations: the same
 * inverse, bit for bit (ease.test.ts), 5-7 times faster (bench:cf).
 */
export async function invertSpdInPlace(
  a: Float64Array,
  n: number,
  options: { onPass?: (pass: number, total: number) => void; signal?: AbortSignal; what?: string } = {},
): Promise<void> {
  if (a.length !== n * n) throw new RangeError(`matrix must hold n*n = ${n * n} values, got ${a.length}`);
  const what = options.what ?? "invertSpdInPlace";
  let rowsSinceYield = 0;
  const checkpoint = async (rows: number) => {
    rowsSinceYield += rows;
    if (rowsSinceYield < 64) return;
    rowsSinceYield = 0;
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new CancelledError(what);
  };
  const wasm = spdPlacement(a, n);
  const diagL = wasm?.diagonal ?? new Float64Array(n);
  // Where the WebAssembly blocks stop: the rest goes in blocks of four.
  const wasmEnd = wasm ? n - (n % SPD_BLOCK) : 0;

  // Pass 1, Cholesky-Crout by rows: L[i][j] = (A[i][j] - L[i][:j] . L[j][:j]) / L[j][j].
  /** Rows i0..i0+3, columns j in [from, to): four sums share each streamed row j. */
  const cholOuter = (i0: number, from: number, to: number) => {
    const r0 = i0 * n,
      r1 = r0 + n,
      r2 = r1 + n,
      r3 = r2 + n;
    for (let j = from; j < to; j++) {
      const rj = j * n;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < j; k++) {
        const l = a[rj + k];
        s0 += a[r0 + k] * l;
        s1 += a[r1 + k] * l;
        s2 += a[r2 + k] * l;
        s3 += a[r3 + k] * l;
      }
      const inv = 1 / diagL[j];
      a[r0 + j] = (a[r0 + j] - s0) * inv;
      a[r1 + j] = (a[r1 + j] - s1) * inv;
      a[r2 + j] = (a[r2 + j] - s2) * inv;
      a[r3 + j] = (a[r3 + j] - s3) * inv;
    }
  };
  /** Rows i0..i0+rows-1, columns from `from` to the diagonal, one sum at a time. */
  const cholInner = (i0: number, rows: number, from: number) => {
    for (let i = i0; i < i0 + rows; i++) {
      const ri = i * n;
      for (let j = from; j <= i; j++) {
        const rj = j * n;
        let s = 0;
        for (let k = 0; k < j; k++) s += a[ri + k] * a[rj + k];
        const v = a[ri + j] - s;
        if (j === i) {
          if (!(v > 0)) throw new ModelFitError(`${what}: matrix is not positive definite at row ${i} (pivot ${v}); raise the regularization`);
          diagL[i] = Math.sqrt(v);
        } else {
          a[ri + j] = v / diagL[j];
        }
      }
    }
  };
  for (let i0 = 0; i0 < n;) {
    if (i0 < wasmEnd) {
      wasm!.kernels.cholRows(n, i0, wasm!.t, wasm!.d);
      cholInner(i0, 4, i0);
      cholOuter(i0 + 4, i0, i0 + 4);
      cholInner(i0 + 4, 4, i0 + 4);
      i0 += SPD_BLOCK;
      await checkpoint(SPD_BLOCK);
      continue;
    }
    const rows = Math.min(4, n - i0);
    if (rows === 4) cholOuter(i0, 0, i0);
    cholInner(i0, rows, rows === 4 ? i0 : 0);
    i0 += rows;
    await checkpoint(rows);
  }
  options.onPass?.(1, 3);

  // Pass 2, V = L^-T: row j of V is column j of L^-1, by forward substitution from row j down:
  // x_j = 1 / L[j][j], x_i = -(L[i][j:i] . x[j:i]) / L[i][i]; four columns share each L row.
  /** V's rows j0..j0+cols-1: the diagonal, then the columns inside the block. */
  const invInner = (j0: number, cols: number) => {
    for (let c = 0; c < cols; c++) {
      const j = j0 + c,
        rj = j * n;
      a[rj + j] = 1 / diagL[j];
      for (let i = j + 1; i < j0 + cols; i++) {
        let s = 0;
        for (let k = j; k < i; k++) s += a[i * n + k] * a[rj + k];
        a[rj + i] = -s / diagL[i];
      }
    }
  };
  /** V's rows j0..j0+3, columns i in [from, to): four sums share each L row i. */
  const invOuter = (j0: number, from: number, to: number) => {
    const v0 = j0 * n,
      v1 = v0 + n,
      v2 = v1 + n,
      v3 = v2 + n;
    for (let i = from; i < to; i++) {
      const ri = i * n;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      // x_c is zero above its own column, so each sum starts at its column.
      s0 += a[ri + j0] * a[v0 + j0];
      s0 += a[ri + j0 + 1] * a[v0 + j0 + 1];
      s1 += a[ri + j0 + 1] * a[v1 + j0 + 1];
      s0 += a[ri + j0 + 2] * a[v0 + j0 + 2];
      s1 += a[ri + j0 + 2] * a[v1 + j0 + 2];
      s2 += a[ri + j0 + 2] * a[v2 + j0 + 2];
      for (let k = j0 + 3; k < i; k++) {
        const l = a[ri + k];
        s0 += l * a[v0 + k];
        s1 += l * a[v1 + k];
        s2 += l * a[v2 + k];
        s3 += l * a[v3 + k];
      }
      const inv = -1 / diagL[i];
      a[v0 + i] = s0 * inv;
      a[v1 + i] = s1 * inv;
      a[v2 + i] = s2 * inv;
      a[v3 + i] = s3 * inv;
    }
  };
  for (let j0 = 0; j0 < n;) {
    if (j0 < wasmEnd) {
      invInner(j0, 4);
      invOuter(j0, j0 + 4, j0 + 8);
      invInner(j0 + 4, 4);
      // T[k][c] = V[j0 + c][k] for the block's own columns k, zero where V is (k < j0 + c).
      for (let k = j0; k < j0 + SPD_BLOCK; k++) {
        for (let c = 0; c < SPD_BLOCK; c++) wasm!.scratch[SPD_BLOCK * k + c] = k >= j0 + c ? a[(j0 + c) * n + k] : 0;
      }
      wasm!.kernels.invRows(n, j0, wasm!.t, wasm!.d);
      j0 += SPD_BLOCK;
      await checkpoint(SPD_BLOCK);
      continue;
    }
    const cols = Math.min(4, n - j0);
    invInner(j0, cols);
    if (cols === 4) {
      invOuter(j0, j0 + 4, n);
    } else {
      for (let c = 0; c < cols; c++) {
        const j = j0 + c,
          rj = j * n;
        for (let i = j0 + cols; i < n; i++) {
          let s = 0;
          for (let k = j; k < i; k++) s += a[i * n + k] * a[rj + k];
          a[rj + i] = -s / diagL[i];
        }
      }
    }
    j0 += cols;
    await checkpoint(cols);
  }
  options.onPass?.(2, 3);

  // Pass 3, A^-1[b][c] = V[b][m:] . V[c][m:] with m = max(b, c), written to the lower triangle
  // (row b >= column c), whose L is no longer needed; the diagonal goes aside until the end.
  const diagInverse = new Float64Array(n);
  /** Pairs of rows c0..c0+cols-1, one sum at a time. */
  const gramInner = (c0: number, cols: number) => {
    for (let c = c0; c < c0 + cols; c++) {
      for (let b = c; b < c0 + cols; b++) {
        let s = 0;
        for (let k = b; k < n; k++) s += a[b * n + k] * a[c * n + k];
        if (b === c) diagInverse[c] = s;
        else a[b * n + c] = s;
      }
    }
  };
  /** Rows b in [from, to) against rows c0..c0+3: four sums share each streamed row b. */
  const gramOuter = (c0: number, from: number, to: number) => {
    const v0 = c0 * n,
      v1 = v0 + n,
      v2 = v1 + n,
      v3 = v2 + n;
    for (let b = from; b < to; b++) {
      const rb = b * n;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = b; k < n; k++) {
        const v = a[rb + k];
        s0 += v * a[v0 + k];
        s1 += v * a[v1 + k];
        s2 += v * a[v2 + k];
        s3 += v * a[v3 + k];
      }
      a[rb + c0] = s0;
      a[rb + c0 + 1] = s1;
      a[rb + c0 + 2] = s2;
      a[rb + c0 + 3] = s3;
    }
  };
  for (let c0 = 0; c0 < n;) {
    if (c0 < wasmEnd) {
      gramInner(c0, 4);
      gramOuter(c0, c0 + 4, c0 + 8);
      gramInner(c0 + 4, 4);
      wasm!.kernels.gramRows(n, c0, wasm!.t, wasm!.d);
      c0 += SPD_BLOCK;
      await checkpoint(SPD_BLOCK);
      continue;
    }
    const cols = Math.min(4, n - c0);
    gramInner(c0, cols);
    if (cols === 4) {
      gramOuter(c0, c0 + 4, n);
    } else {
      for (let c = c0; c < c0 + cols; c++) {
        for (let b = c0 + cols; b < n; b++) {
          let s = 0;
          for (let k = b; k < n; k++) s += a[b * n + k] * a[c * n + k];
          a[b * n + c] = s;
        }
      }
    }
    c0 += cols;
    await checkpoint(cols);
  }
  for (let b = 0; b < n; b++) {
    a[b * n + b] = diagInverse[b];
    for (let c = 0; c < b; c++) a[c * n + b] = a[b * n + c];
  }
  options.onPass?.(3, 3);
}
