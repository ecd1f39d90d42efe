import { confidenceMatrix, type ConfidenceKind, type Recommender } from "@deepcuts/models/cf";
import type { Csr, DenseMatrix } from "@deepcuts/models/core";
import { evaluateModelOnSplit, type HoldoutSplit, type RankingMetrics } from "@deepcuts/models/eval";

/** One point of a learning curve: the holdout model after `iteration` sweeps, on the validation split. */
export interface ValidationPoint {
  phase: "validation";
  iteration: number;
  /** ALS only: the weighted squared error of eq. 3 in Hu, Koren and Volinsky (2008), per unit of confidence. */
  loss?: number;
  "recall@20": number;
  "ndcg@20": number;
}

/**
 * Learning curves evaluate at most this many validation listeners per point (the stored metrics
 * use all of them): a point costs about one recommend call per listener over the whole catalogue.
 */
const MAX_CURVE_USERS = 1000;

/** 1, 2, 4, ... below `iterations`: a curve's shape for about as many extra sweeps as one more fit. */
export function checkpoints(iterations: number): number[] {
  const at: number[] = [];
  for (let n = 1; n < iterations; n *= 2) at.push(n);
  return at;
}

/** The split with held-out items kept for an evenly spaced sample of at most `max` listeners. */
export function sampledSplit(split: HoldoutSplit, max = MAX_CURVE_USERS): HoldoutSplit {
  const withTest = split.test.flatMap((items, u) => (items.length ? [u] : []));
  if (withTest.length <= max) return split;
  const keep = new Set(Array.from({ length: max }, (_, j) => withTest[Math.floor((j * withTest.length) / max)]));
  return { train: split.train, test: split.test.map((items, u) => (keep.has(u) ? items : new Int32Array(0))) };
}

/**
 * Implicit ALS's objective, sum over all (u, i) of c_ui (p_ui - x_u.y_i)^2 plus
 * lambda (|X|^2 + |Y|^2) (Hu, Koren and Volinsky 2008, eq. 3), divided by the total confidence
 * (as the `implicit` library reports it). All pairs cost x_u' (Y'Y) x_u; the observed ones are corrected.
 */
export function alsLoss(
  strength: Csr,
  users: DenseMatrix,
  items: DenseMatrix,
  p: { alpha: number; confidence: ConfidenceKind; regularization: number },
): number {
  const k = users.cols;
  const conf = confidenceMatrix(strength, p.alpha, p.confidence);
  const yty = new Float64Array(k * k);
  for (let i = 0; i < items.rows; i++) {
    const y = items.data.subarray(i * k, i * k + k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) yty[a * k + b] += y[a] * y[b];
  }
  let loss = 0;
  let totalConfidence = 0;
  for (let u = 0; u < users.rows; u++) {
    const x = users.data.subarray(u * k, u * k + k);
    for (let a = 0; a < k; a++) {
      let row = 0;
      for (let b = 0; b < k; b++) row += yty[a * k + b] * x[b];
      loss += x[a] * row;
    }
    for (let q = conf.indptr[u]; q < conf.indptr[u + 1]; q++) {
      const y = items.data.subarray(conf.indices[q] * k, conf.indices[q] * k + k);
      let s = 0;
      for (let a = 0; a < k; a++) s += x[a] * y[a];
      const c = conf.data[q];
      loss += c * (1 - s) ** 2 - s * s;
      totalConfidence += c;
    }
  }
  let norms = 0;
  for (const v of users.data) norms += v * v;
  for (const v of items.data) norms += v * v;
  const unobserved = users.rows * items.rows - conf.indptr[users.rows];
  return (loss + p.regularization * norms) / (totalConfidence + unobserved);
}

/**
 * Validation recall@20 and nDCG@20 (and, given `loss`, the training loss) of holdout models fitted
 * for 1, 2, 4, ... sweeps, then of `final`. A fit is deterministic for a seed, so a model fitted for n
 * sweeps is the longer fit as it stood after sweep n: the points are that fit's own curve.
 * `finalMetrics` (the final model on the whole split) is reused when no sample was needed.
 */
export async function learningCurve<M extends Recommender>(
  split: HoldoutSplit,
  iterations: number,
  fitFor: (sweeps: number) => Promise<M>,
  final: M,
  loss?: (model: M) => number,
  finalMetrics?: RankingMetrics,
): Promise<ValidationPoint[]> {
  const sample = sampledSplit(split);
  const point = (iteration: number, model: M, known?: RankingMetrics): ValidationPoint => {
    const m = known ?? evaluateModelOnSplit(model, sample);
    return { phase: "validation", iteration, ...(loss ? { loss: loss(model) } : {}), "recall@20": m["recall@20"], "ndcg@20": m["ndcg@20"] };
  };
  const points: ValidationPoint[] = [];
  for (const n of checkpoints(iterations)) points.push(point(n, await fitFor(n)));
  points.push(point(iterations, final, sample === split ? finalMetrics : undefined));
  return points;
}
