import { NotFittedError, denseMatrix, type DenseMatrix } from "../../core/index.ts";
import { l2NormaliseRows } from "./normalise.ts";
import { CorruptModelError, decodeModel, encodeModel } from "./serialize.ts";

export interface LinearFeatureModelParams {
  /** Ridge penalty on the standardised-feature weights (the intercept is not penalised). */
  lambda: number;
}

export const DEFAULT_LINEAR_PARAMS: Readonly<LinearFeatureModelParams> = Object.freeze({ lambda: 1 });

/**
 * The baseline the content network must beat: ridge regression from a track's plain audio
 * features to its L2-normalised item vector. Features are numeric columns chosen by the caller
 * (tempo, loudness, danceability, energy, mode as 0/1, key as sin/cos of 2*pi*key/12 so that
 * B and C are neighbours); each column is standardised with the training mean and deviation.
 */
export class LinearFeatureModel {
  readonly params: LinearFeatureModelParams;
  private fitted: { mean: Float64Array; std: Float64Array; weights: Float64Array; intercept: Float64Array; dim: number } | null = null;

  constructor(params: Partial<LinearFeatureModelParams> = {}) {
    this.params = { ...DEFAULT_LINEAR_PARAMS, ...params };
    if (!Number.isFinite(this.params.lambda) || this.params.lambda < 0) throw new RangeError(`lambda must be >= 0, got ${this.params.lambda}`);
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  fit(features: DenseMatrix, targets: DenseMatrix): this {
    const n = features.rows,
      f = features.cols,
      d = targets.cols;
    if (targets.rows !== n) throw new RangeError(`features (${n} rows) and targets (${targets.rows} rows) must match`);
    if (n < 1 || f < 1) throw new RangeError(`features must be at least 1 x 1, got ${n} x ${f}`);
    const y = l2NormaliseRows(targets).data;
    const mean = new Float64Array(f),
      std = new Float64Array(f);
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += features.data[i * f + j] / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) std[j] += (features.data[i * f + j] - mean[j]) ** 2 / n;
    for (let j = 0; j < f; j++) {
      if (!Number.isFinite(mean[j]) || !Number.isFinite(std[j])) throw new RangeError(`feature column ${j} has non-finite values`);
      std[j] = std[j] > 1e-12 ? Math.sqrt(std[j]) : 1;
    }
    const intercept = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) intercept[k] += y[i * d + k] / n;
    // Ridge normal equations on centred data: (Z'Z + lambda I) W = Z'(Y - mean Y).
    const gram = new Float64Array(f * f),
      rhs = new Float64Array(f * d),
      z = new Float64Array(f);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) z[j] = (features.data[i * f + j] - mean[j]) / std[j];
      for (let a = 0; a < f; a++) {
        for (let b = 0; b < f; b++) gram[a * f + b] += z[a] * z[b];
        for (let k = 0; k < d; k++) rhs[a * d + k] += z[a] * (y[i * d + k] - intercept[k]);
      }
    }
    // A tiny floor keeps lambda = 0 solvable when a column is constant.
    for (let a = 0; a < f; a++) gram[a * f + a] += Math.max(this.params.lambda, 1e-9);
    const weights = choleskySolve(gram, rhs, f, d);
    // Rounded to float32 now, as saved, so a loaded model predicts exactly what this one does.
    const [m32, s32, w32, i32] = [mean, std, weights, intercept].map((a) => Float64Array.from(Float32Array.from(a)));
    this.fitted = { mean: m32, std: s32, weights: w32, intercept: i32, dim: d };
    return this;
  }

  /** Predicted item vectors, one L2-normalised row per feature row. */
  predict(features: DenseMatrix): DenseMatrix {
    const m = this.fitted;
    if (!m) throw new NotFittedError("LinearFeatureModel");
    const f = m.mean.length,
      d = m.dim;
    if (features.cols !== f) throw new RangeError(`features must have ${f} columns, got ${features.cols}`);
    const out = denseMatrix(features.rows, d);
    for (let i = 0; i < features.rows; i++) {
      for (let k = 0; k < d; k++) {
        let s = m.intercept[k];
        for (let j = 0; j < f; j++) s += ((features.data[i * f + j] - m.mean[j]) / m.std[j]) * m.weights[j * d + k];
        out.data[i * d + k] = s;
      }
    }
    return l2NormaliseRows(out);
  }

  save(): Uint8Array {
    const m = this.fitted;
    if (!m) throw new NotFittedError("LinearFeatureModel");
    const header = { kind: "linear-feature-model", lambda: this.params.lambda, features: m.mean.length, dim: m.dim };
    return encodeModel(
      header,
      [m.mean, m.std, m.weights, m.intercept].map((a) => Float32Array.from(a)),
    );
  }

  static load(bytes: Uint8Array): LinearFeatureModel {
    const { header, arrays } = decodeModel<{ kind: string; lambda: number; features: number; dim: number }>(bytes);
    if (header?.kind !== "linear-feature-model") throw new CorruptModelError(`expected a linear-feature-model, got ${String(header?.kind)}`);
    const { features: f, dim: d } = header;
    const sizes = [f, f, f * d, d];
    if (arrays.length !== 4 || arrays.some((a, i) => a.length !== sizes[i])) {
      throw new CorruptModelError(`array sizes ${arrays.map((a) => a.length).join(",")} do not fit ${f} features x ${d} dims`);
    }
    const model = new LinearFeatureModel({ lambda: header.lambda });
    const [mean, std, weights, intercept] = arrays.map((a) => Float64Array.from(a));
    model.fitted = { mean, std, weights, intercept, dim: d };
    return model;
  }
}

/** Solves A X = B for symmetric positive definite A (f x f) and B (f x d), by Cholesky. */
function choleskySolve(a: Float64Array, b: Float64Array, f: number, d: number): Float64Array {
  const l = new Float64Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * f + j];
      for (let k = 0; k < j; k++) s -= l[i * f + k] * l[j * f + k];
      if (i === j) {
        if (s <= 0) throw new RangeError(`ridge system is not positive definite at column ${i} (pivot ${s})`);
        l[i * f + i] = Math.sqrt(s);
      } else {
        l[i * f + j] = s / l[j * f + j];
      }
    }
  }
  const x = new Float64Array(f * d);
  for (let k = 0; k < d; k++) {
    const tmp = new Float64Array(f);
    for (let i = 0; i < f; i++) {
      let s = b[i * d + k];
      for (let j = 0; j < i; j++) s -= l[i * f + j] * tmp[j];
      tmp[i] = s / l[i * f + i];
    }
    for (let i = f - 1; i >= 0; i--) {
      let s = tmp[i];
      for (let j = i + 1; j < f; j++) s -= l[j * f + i] * x[j * d + k];
      x[i * d + k] = s / l[i * f + i];
    }
  }
  return x;
}
