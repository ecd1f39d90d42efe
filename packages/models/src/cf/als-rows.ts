/**
 * Per-row least-squares solves of implicit ALS (Hu, Koren and Volinsky 2008, eq. 4):
 * x_u = (Y^T Y + lambda I + Y^T (C_u - I) Y)^-1 Y^T C_u p(u), with p(u) = 1 on observed items.
 * Pure functions over typed arrays so that worker threads and the main thread run the same code.
 */
export interface RowProblem {
  k: number;
  /** Factors being solved, n x k; read as the warm start, overwritten with the solution. */
  solving: Float32Array;
  /** Fixed side's factors, m x k. */
  fixed: Float32Array;
  /** Y^T Y + lambda I of the fixed side, k x k, float64. */
  gram: Float64Array;
  indptr: Int32Array;
  indices: Int32Array;
  /** Confidence c_ui of each stored entry. */
  confidence: Float32Array;
}

/** Scratch vectors of one thread, reused across rows. */
export class RowScratch {
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  readonly a: Float64Array;
  constructor(k: number, cholesky: boolean) {
    this.x = new Float64Array(k);
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.ap = new Float64Array(k);
    this.a = new Float64Array(cholesky ? k * k : 0);
  }
}

/** y = G v for symmetric G (k x k), two rows at a time to reuse each load of v. */
function gramTimes(g: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  let a = 0;
  for (; a + 1 < k; a += 2) {
    const g0 = a * k, g1 = g0 + k;
    let s0 = 0, s1 = 0;
    for (let b = 0; b < k; b++) {
      const vb = v[b];
      s0 += g[g0 + b] * vb;
      s1 += g[g1 + b] * vb;
    }
    out[a] = s0;
    out[a + 1] = s1;
  }
  if (a < k) {
    let s = 0;
    for (let b = 0; b < k; b++) s += g[a * k + b] * v[b];
    out[a] = s;
  }
}

/**
 * Conjugate gradient warm-started from the current factors, `steps` iterations per row
 * (Takacs, Pilaszy and Tikk 2011, "Applications of the conjugate gradient method for implicit
 * feedback collaborative filtering", algorithm 2), never forming A_u.
 */
export function solveRowsCg(pr: RowProblem, start: number, end: number, steps: number, s: RowScratch): void {
  const { k, solving, fixed: y, gram, indptr, indices, confidence } = pr;
  const { x, r, p, ap } = s;
  for (let u = start; u < end; u++) {
    const base = u * k;
    for (let b = 0; b < k; b++) x[b] = solving[base + b];
    // r = b - A x = sum_i (c_i - (c_i - 1) y_i.x) y_i - (Y^T Y + lambda I) x
    gramTimes(gram, x, r, k);
    for (let b = 0; b < k; b++) r[b] = -r[b];
    const qEnd = indptr[u + 1];
    for (let q = indptr[u]; q < qEnd; q++) {
      const c = confidence[q];
      const yi = indices[q] * k;
      let t = 0;
      for (let b = 0; b < k; b++) t += y[yi + b] * x[b];
      const coef = c - (c - 1) * t;
      for (let b = 0; b < k; b++) r[b] += coef * y[yi + b];
    }
    let rsOld = 0;
    for (let b = 0; b < k; b++) { p[b] = r[b]; rsOld += r[b] * r[b]; }
    if (rsOld < 1e-20) continue;
    for (let it = 0; it < steps; it++) {
      gramTimes(gram, p, ap, k);
      for (let q = indptr[u]; q < qEnd; q++) {
        const yi = indices[q] * k;
        let t = 0;
        for (let b = 0; b < k; b++) t += y[yi + b] * p[b];
        t *= confidence[q] - 1;
        for (let b = 0; b < k; b++) ap[b] += t * y[yi + b];
      }
      let pap = 0;
      for (let b = 0; b < k; b++) pap += p[b] * ap[b];
      if (!(pap > 0)) break;
      const alpha = rsOld / pap;
      let rsNew = 0;
      for (let b = 0; b < k; b++) {
        x[b] += alpha * p[b];
        const rb = r[b] - alpha * ap[b];
        r[b] = rb;
        rsNew += rb * rb;
      }
      if (rsNew < 1e-20) break;
      const beta = rsNew / rsOld;
      for (let b = 0; b < k; b++) p[b] = r[b] + beta * p[b];
      rsOld = rsNew;
    }
    for (let b = 0; b < k; b++) solving[base + b] = x[b];
  }
}

/** Exact solve: forms A_u = G + sum_i (c_i - 1) y_i y_i^T and b_u = sum_i c_i y_i, then Cholesky. */
export function solveRowsCholesky(pr: RowProblem, start: number, end: number, s: RowScratch): void {
  const { k, solving, fixed: y, gram, indptr, indices, confidence } = pr;
  const { a, x } = s;
  for (let u = start; u < end; u++) {
    a.set(gram);
    x.fill(0);
    for (let q = indptr[u]; q < indptr[u + 1]; q++) {
      const c = confidence[q];
      const yi = indices[q] * k;
      const w = c - 1;
      for (let i = 0; i < k; i++) {
        const wi = w * y[yi + i];
        x[i] += c * y[yi + i];
        const row = i * k;
        for (let j = 0; j <= i; j++) a[row + j] += wi * y[yi + j];
      }
    }
    if (!choleskySolveInPlace(a, x, k)) {
      throw new RangeError(`row ${u}: the normal equations are not positive definite (use regularization > 0)`);
    }
    const base = u * k;
    for (let b = 0; b < k; b++) solving[base + b] = x[b];
  }
}

/**
 * Solves A x = b for symmetric positive definite A given by its lower triangle (k x k, row-major),
 * overwriting A with its Cholesky factor L and b with x. Returns false when A is not positive definite.
 */
export function choleskySolveInPlace(a: Float64Array, b: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    const rj = j * k;
    let d = a[rj + j];
    for (let t = 0; t < j; t++) d -= a[rj + t] * a[rj + t];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let s = a[ri + j];
      for (let t = 0; t < j; t++) s -= a[ri + t] * a[rj + t];
      a[ri + j] = s / ljj;
    }
  }
  // Forward substitution L z = b, then back substitution L^T x = z.
  for (let i = 0; i < k; i++) {
    let s = b[i];
    const ri = i * k;
    for (let t = 0; t < i; t++) s -= a[ri + t] * b[t];
    b[i] = s / a[ri + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let t = i + 1; t < k; t++) s -= a[t * k + i] * b[t];
    b[i] = s / a[i * k + i];
  }
  return true;
}
