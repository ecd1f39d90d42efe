import { symmetricEigen } from "../text/svd.ts";
import { denseMatrix, type DenseMatrix } from "./matrix.ts";
import { columnStats } from "./standardise.ts";

/**
 * A whitening of a catalogue's vectors: x -> (x - mean) W with W = V diag(1 / sqrt(l + eps)) V^T
 * (ZCA whitening, Bell & Sejnowski 1997; eps = shrinkage x the mean eigenvalue keeps tiny,
 * noisy directions from being blown up). Cosine on whitened vectors is a Mahalanobis-style
 * metric: directions in which the whole catalogue varies a lot (genre, popularity) count no more
 * than the small ones that tell tracks of one genre apart.
 */
export interface Whitening {
  mean: number[];
  /** cols x cols, row-major. */
  transform: number[];
  shrinkage: number;
}

export function fitWhitening(m: DenseMatrix, shrinkage: number): Whitening {
  if (!(shrinkage > 0 && Number.isFinite(shrinkage))) throw new RangeError(`shrinkage must be a finite number > 0, got ${shrinkage}`);
  const d = m.cols;
  const { mean } = columnStats(m);
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < d; c++) centred[c] = m.data[r * d + c] - mean[c];
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += centred[a] * centred[b];
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= Math.max(1, m.rows);
  const { values, vectors } = symmetricEigen(cov, d);
  const eps = shrinkage * (values.reduce((s, v) => s + Math.max(v, 0), 0) / d || 1);
  const scale = Array.from(values, (v) => 1 / Math.sqrt(Math.max(v, 0) + eps));
  const transform = new Array<number>(d * d).fill(0);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += vectors[a * d + k] * scale[k] * vectors[b * d + k];
      transform[a * d + b] = s;
    }
  }
  return { mean, transform, shrinkage };
}

/** Applies a fitted whitening to every row of `m`. */
export function applyWhitening(m: DenseMatrix, w: Whitening): DenseMatrix {
  const d = m.cols;
  if (w.mean.length !== d || w.transform.length !== d * d) {
    throw new RangeError(`whitening has ${w.mean.length} means and ${w.transform.length} transform values for ${d} columns`);
  }
  if (!w.transform.every(Number.isFinite) || !w.mean.every(Number.isFinite)) throw new RangeError("whitening values must be finite");
  const out = denseMatrix(m.rows, d);
  const centred = new Float64Array(d);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < d; c++) centred[c] = m.data[r * d + c] - w.mean[c];
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += centred[a] * w.transform[a * d + b];
      out.data[r * d + b] = s;
    }
  }
  return out;
}
