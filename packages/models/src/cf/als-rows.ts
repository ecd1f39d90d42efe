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
  /** (Y^T Y + lambda I)^-1 for the Woodbury path, and its rows' work space. */
  readonly gramInverse: Float64Array;
  /** Z = G^-1 Y_u^T (n x k) and the n x n capacitance matrix, grown on demand. */
  z = new Float64Array(0);
  capacitance = new Float64Array(0);
  constructor(k: number, cholesky: boolean) {
    this.x = new Float64Array(k);
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.ap = new Float64Array(k);
    this.a = new Float64Array(cholesky ? k * k : 0);
    this.gramInverse = new Float64Array(cholesky ? k * k : 0);
  }
}

/** y = G v for symmetric G (k x k), two rows at a time to reuse each load of v. */
function gramTimes(g: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  let a = 0;
  for (; a + 1 < k; a += 2) {
    const g0 = a * k,
      g1 = g0 + k;
    let s0 = 0,
      s1 = 0;
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
    for (let b = 0; b < k; b++) {
      p[b] = r[b];
      rsOld += r[b] * r[b];
    }
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

/**
 * Exact solve of every row. A row with many entries forms A_u = G + sum_i (c_i - 1) y_i y_i^T and
 * b_u = sum_i c_i y_i and solves by Cholesky (k^3/6). A row with few entries (most items of a
 * long-tail catalogue) uses the Woodbury identity instead,
 * A_u^-1 = G^-1 - G^-1 Y^T (W^-1 + Y G^-1 Y^T)^-1 Y G^-1 with W = diag(c_i - 1),
 * which costs about n k^2 for n entries: the same solution, cheaper when n is small.
 */
export function solveRowsCholesky(pr: RowProblem, start: number, end: number, s: RowScratch, allowWoodbury = true): void {
  const { k, solving, fixed: y, gram, indptr, indices, confidence } = pr;
  const { a, x } = s;
  let inverted = false;
  for (let u = start; u < end; u++) {
    const n = indptr[u + 1] - indptr[u];
    const direct = (k * k * k) / 6 + (n * k * k) / 2;
    const woodbury = (n + 1) * k * k + n * n * k + (n * n * n) / 3;
    if (allowWoodbury && woodbury < direct) {
      if (!inverted) {
        invertSpd(gram, k, s.gramInverse, a);
        inverted = true;
      }
      solveRowWoodbury(pr, u, s);
      continue;
    }
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

/** G^-1 of a symmetric positive definite G by Cholesky and k solves; `work` is k x k scratch. */
function invertSpd(g: Float64Array, k: number, out: Float64Array, work: Float64Array): void {
  const column = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    work.set(g);
    column.fill(0);
    column[j] = 1;
    if (!choleskySolveInPlace(work, column, k)) {
      throw new RangeError("Y^T Y + lambda I is not positive definite (use regularization > 0)");
    }
    for (let i = 0; i < k; i++) out[i * k + j] = column[i];
  }
}

function solveRowWoodbury(pr: RowProblem, u: number, s: RowScratch): void {
  const { k, solving, fixed: y, indptr, indices, confidence } = pr;
  const ginv = s.gramInverse,
    x = s.x,
    rhs = s.r;
  const q0 = indptr[u],
    q1 = indptr[u + 1];
  // Entries with c = 1 add nothing to A_u; only the others enter the capacitance matrix.
  let n = 0;
  for (let q = q0; q < q1; q++) if (confidence[q] > 1) n++;
  if (s.z.length < n * k) s.z = new Float64Array(n * k * 2);
  if (s.capacitance.length < n * n) s.capacitance = new Float64Array(n * n * 4);
  const z = s.z,
    cap = s.capacitance,
    t = s.p;
  // b_u = sum_i c_i y_i, then x = G^-1 b_u.
  rhs.fill(0);
  for (let q = q0; q < q1; q++) {
    const c = confidence[q],
      yi = indices[q] * k;
    for (let b = 0; b < k; b++) rhs[b] += c * y[yi + b];
  }
  for (let a = 0; a < k; a++) {
    let sum = 0;
    for (let b = 0; b < k; b++) sum += ginv[a * k + b] * rhs[b];
    x[a] = sum;
  }
  // Z_j = G^-1 y_j; capacitance S = W^-1 + Y Z^T; t = Y x.
  let j = 0;
  for (let q = q0; q < q1; q++) {
    if (!(confidence[q] > 1)) continue;
    const yi = indices[q] * k;
    for (let a = 0; a < k; a++) {
      let sum = 0;
      for (let b = 0; b < k; b++) sum += ginv[a * k + b] * y[yi + b];
      z[j * k + a] = sum;
    }
    let tj = 0;
    for (let b = 0; b < k; b++) tj += y[yi + b] * x[b];
    t[j] = tj;
    j++;
  }
  j = 0;
  for (let q = q0; q < q1; q++) {
    if (!(confidence[q] > 1)) continue;
    const yi = indices[q] * k;
    for (let l = 0; l <= j; l++) {
      let sum = 0;
      for (let b = 0; b < k; b++) sum += y[yi + b] * z[l * k + b];
      cap[j * n + l] = sum;
    }
    cap[j * n + j] += 1 / (confidence[q] - 1);
    j++;
  }
  if (!choleskySolveInPlace(cap, t, n)) throw new RangeError(`row ${u}: the Woodbury capacitance matrix is not positive definite`);
  // x = G^-1 b - Z^T (S^-1 t)
  for (let l = 0; l < n; l++) {
    const tl = t[l];
    for (let b = 0; b < k; b++) x[b] -= tl * z[l * k + b];
  }
  const base = u * k;
  for (let b = 0; b < k; b++) solving[base + b] = x[b];
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
