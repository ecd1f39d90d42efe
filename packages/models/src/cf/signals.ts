import type { Csr } from "../core/matrix.ts";
import type { ConfidenceKind } from "./params.ts";

/** How strongly each kind of listening signal counts in the combined interaction strength. */
export interface SignalWeights {
  /** Per stream (play) counted (default 1). */
  streams: number;
  /** Per save to the library (default 5). */
  saves: number;
  /** Per visit to the artist's page (default 0.5). */
  visits: number;
}

export const signalWeightDefaults: Readonly<SignalWeights> = { streams: 1, saves: 5, visits: 0.5 };

export interface ListeningSignals {
  streams?: Csr;
  saves?: Csr;
  visits?: Csr;
}

/**
 * Combines per-signal user x track matrices into one interaction-strength matrix
 * r_ui = w_streams * streams_ui + w_saves * saves_ui + w_visits * visits_ui, which the models then
 * turn into confidence (c = 1 + alpha * f(r)). Missing signals count as zero; entries whose
 * combined strength is not positive are dropped.
 */
export function combineSignals(signals: ListeningSignals, weights: Partial<SignalWeights> = {}): Csr {
  const w: SignalWeights = { ...signalWeightDefaults, ...weights };
  const parts: [keyof SignalWeights, Csr][] = [];
  for (const name of ["streams", "saves", "visits"] as const) {
    const weight = w[name];
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weights.${name} must be a finite number >= 0, got ${weight}`);
    const m = signals[name];
    if (m) parts.push([name, m]);
  }
  if (parts.length === 0) throw new RangeError("combineSignals needs at least one of streams, saves, visits");
  const [firstName, first] = parts[0];
  for (const [name, m] of parts) {
    if (m.rows !== first.rows || m.cols !== first.cols) {
      throw new RangeError(`${name} is ${m.rows}x${m.cols} but ${firstName} is ${first.rows}x${first.cols}`);
    }
  }
  const rows = first.rows,
    cols = first.cols;
  const dense = new Float64Array(cols);
  const touched = new Uint8Array(cols);
  const list: number[] = [];
  const indptr = new Int32Array(rows + 1);
  let capacity = parts.reduce((s, [, m]) => s + m.indptr[m.rows], 0);
  let indices = new Int32Array(capacity),
    data = new Float32Array(capacity);
  let out = 0;
  for (let u = 0; u < rows; u++) {
    list.length = 0;
    for (const [name, m] of parts) {
      const weight = w[name];
      for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) {
        const i = m.indices[q];
        if (!touched[i]) {
          touched[i] = 1;
          list.push(i);
        }
        dense[i] += weight * m.data[q];
      }
    }
    list.sort((a, b) => a - b);
    for (const i of list) {
      if (dense[i] > 0) {
        indices[out] = i;
        data[out] = dense[i];
        out++;
      }
      dense[i] = 0;
      touched[i] = 0;
    }
    indptr[u + 1] = out;
  }
  if (out < capacity) {
    indices = indices.slice(0, out);
    data = data.slice(0, out);
    capacity = out;
  }
  return { rows, cols, indptr, indices, data };
}

/**
 * Confidence c = 1 + alpha * f(r) (Hu, Koren and Volinsky 2008, eq. 2 with f raw or log1p), as a
 * new CSR with the same pattern. Negative strengths are rejected: they have no meaning here.
 */
export function confidenceMatrix(strength: Csr, alpha: number, kind: ConfidenceKind): Csr {
  const data = new Float32Array(strength.data.length);
  for (let q = 0; q < data.length; q++) {
    const r = strength.data[q];
    if (!(r >= 0) || !Number.isFinite(r)) throw new RangeError(`interaction strength must be finite and >= 0, got ${r} at entry ${q}`);
    data[q] = 1 + alpha * (kind === "log1p" ? Math.log1p(r) : r);
  }
  return { rows: strength.rows, cols: strength.cols, indptr: strength.indptr, indices: strength.indices, data };
}

/** Checks that a CSR is well formed (sizes, monotone indptr, indices in range), naming what is wrong. */
export function checkCsr(m: Csr, name: string): void {
  if (m.indptr.length !== m.rows + 1) throw new RangeError(`${name}.indptr must have rows+1 = ${m.rows + 1} entries, got ${m.indptr.length}`);
  const n = m.indptr[m.rows];
  if (m.indices.length < n || m.data.length < n)
    throw new RangeError(`${name} declares ${n} entries but holds ${m.indices.length} indices and ${m.data.length} values`);
  for (let r = 0; r < m.rows; r++) {
    if (m.indptr[r + 1] < m.indptr[r]) throw new RangeError(`${name}.indptr decreases at row ${r}`);
  }
  for (let q = 0; q < n; q++) {
    const c = m.indices[q];
    if (c < 0 || c >= m.cols) throw new RangeError(`${name} column index ${c} at entry ${q} is outside 0..${m.cols - 1}`);
  }
}
