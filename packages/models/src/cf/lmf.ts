import { CancelledError, ModelFitError, NotFittedError } from "../core/errors.ts";
import { transposeCsr, type Csr, type DenseMatrix } from "../core/matrix.ts";
import { gaussian, type Random } from "../core/random.ts";
import { mergedHistory } from "./als.ts";
import { MatrixFactorization } from "./factorization.ts";
import { readModelFile, writeModelFile } from "./model-file.ts";
import { lmfParams, randomOf, storableParams, type LmfParams } from "./params.ts";
import type { FitOptions } from "./recommend.ts";
import { checkCsr } from "./signals.ts";

/** Positive-example weight alpha * f(r) of Johnson 2014 (f raw or log1p). */
function positiveWeights(m: Csr, p: LmfParams): Float32Array {
  return Float32Array.from(m.data.subarray(0, m.indptr[m.rows]), (r) => {
    if (!(r >= 0) || !Number.isFinite(r)) throw new RangeError(`interaction strength must be finite and >= 0, got ${r}`);
    return p.alpha * (p.confidence === "log1p" ? Math.log1p(r) : r);
  });
}

/** Weight negativeWeight * (1 + f(n)) of each explicit negative (n = its strength: skips, dislikes). */
function negativeWeights(m: Csr, p: LmfParams): Float32Array {
  return Float32Array.from(m.data.subarray(0, m.indptr[m.rows]), (n) => {
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`negative strength must be finite and > 0, got ${n}`);
    return p.negativeWeight * (1 + (p.confidence === "log1p" ? Math.log1p(n) : n));
  });
}

/** Explicit negatives of one side (rows like the positives') with their weights. */
interface Negatives {
  m: Csr;
  weights: Float32Array;
}

/** Options of LogisticMf.fit: FitOptions and the explicit negatives. */
export interface LmfFitOptions extends FitOptions {
  /**
   * Explicit negative feedback, same shape as userItems (strength n > 0: skips, "not for me").
   * Each adds a weighted log(1 - sigma) term, a stronger "no" than a sampled unobserved item.
   */
  negatives?: Csr;
}

/** Parameters of one side: factors, bias, and AdaGrad's running sums of squared gradients. */
interface Side {
  factors: Float32Array;
  bias: Float32Array;
  factorSq: Float32Array;
  biasSq: Float32Array;
}

function newSide(rows: number, k: number, scale: number, random: Random): Side {
  const factors = new Float32Array(rows * k);
  for (let i = 0; i < factors.length; i++) factors[i] = gaussian(random) * scale;
  return { factors, bias: new Float32Array(rows), factorSq: new Float32Array(rows * k), biasSq: new Float32Array(rows) };
}

/**
 * One AdaGrad ascent step for every row of `own` against the fixed `other` side (Johnson 2014,
 * "Logistic Matrix Factorization for Implicit Feedback Data", section 2.1):
 * d/dx_u = sum_i [alpha r_ui - (1 + alpha r_ui) sigma(x_u.y_i + b_u + b_i)] y_i - lambda x_u,
 * with the unobserved items (r_ui = 0) represented by uniformly sampled negatives.
 */
function ascend(own: Side, other: Side, m: Csr, weights: Float32Array, k: number, p: LmfParams, random: Random, negatives?: Negatives): void {
  const grad = new Float64Array(k);
  const otherRows = m.cols;
  for (let u = 0; u < m.rows; u++) {
    const start = m.indptr[u],
      end = m.indptr[u + 1];
    const xu = u * k;
    grad.fill(0);
    let gradBias = 0;
    const positives = end - start;
    const terms = positives + Math.min(otherRows, positives * p.negativeSamples);
    // Observed items first, then the sampled negatives, in one loop (no closure in the hot path).
    for (let t = 0; t < terms; t++) {
      const i = t < positives ? m.indices[start + t] : Math.floor(random() * otherRows);
      const yi = i * k;
      let s = own.bias[u] + other.bias[i];
      for (let b = 0; b < k; b++) s += own.factors[xu + b] * other.factors[yi + b];
      const sigma = 1 / (1 + Math.exp(-s));
      const w = t < positives ? weights[start + t] : 0;
      const coef = w - (1 + w) * sigma;
      gradBias += coef;
      for (let b = 0; b < k; b++) grad[b] += coef * other.factors[yi + b];
    }
    let explicit = 0;
    if (negatives) {
      // Explicit negatives: d/ds of w log(1 - sigma(s)) = -w sigma(s).
      const nm = negatives.m;
      for (let q = nm.indptr[u]; q < nm.indptr[u + 1]; q++, explicit++) {
        const yi = nm.indices[q] * k;
        let s = own.bias[u] + other.bias[nm.indices[q]];
        for (let b = 0; b < k; b++) s += own.factors[xu + b] * other.factors[yi + b];
        const coef = -negatives.weights[q] / (1 + Math.exp(-s));
        gradBias += coef;
        for (let b = 0; b < k; b++) grad[b] += coef * other.factors[yi + b];
      }
    }
    if (end === start && explicit === 0) continue;
    for (let b = 0; b < k; b++) {
      const g = grad[b] - p.regularization * own.factors[xu + b];
      own.factorSq[xu + b] += g * g;
      own.factors[xu + b] += (p.learningRate * g) / Math.sqrt(own.factorSq[xu + b] + 1e-8);
    }
    own.biasSq[u] += gradBias * gradBias;
    own.bias[u] += (p.learningRate * gradBias) / Math.sqrt(own.biasSq[u] + 1e-8);
  }
}

/**
 * Logistic matrix factorization with user and item biases, p(l_ui) = sigmoid(x_u.y_i + b_u + b_i)
 * (Johnson 2014), trained by alternating AdaGrad gradient ascent; same API shape as ImplicitAls.
 */
export class LogisticMf extends MatrixFactorization {
  readonly params: LmfParams;
  private userBiases: Float32Array | null = null;
  private itemBiases: Float32Array | null = null;

  constructor(options: Partial<LmfParams> = {}) {
    const params = lmfParams(options);
    super("LogisticMf", params.backend);
    this.params = params;
  }

  /** Item biases b_i (popularity learned by the model). */
  get itemBias(): Float32Array {
    if (!this.itemBiases) throw new NotFittedError("LogisticMf");
    return this.itemBiases;
  }

  get userBias(): Float32Array {
    if (!this.userBiases) throw new NotFittedError("LogisticMf");
    return this.userBiases;
  }

  async fit(userItems: Csr, options: LmfFitOptions = {}): Promise<this> {
    checkCsr(userItems, "userItems");
    const p = this.params,
      k = p.factors;
    const random = randomOf(p);
    const itemUsers = transposeCsr(userItems);
    const userWeights = positiveWeights(userItems, p),
      itemWeights = positiveWeights(itemUsers, p);
    let userNegatives: Negatives | undefined, itemNegatives: Negatives | undefined;
    if (options.negatives && p.negativeWeight > 0) {
      const n = options.negatives;
      checkCsr(n, "negatives");
      if (n.rows !== userItems.rows || n.cols !== userItems.cols)
        throw new RangeError(`negatives is ${n.rows}x${n.cols} but userItems is ${userItems.rows}x${userItems.cols}`);
      const t = transposeCsr(n);
      userNegatives = { m: n, weights: negativeWeights(n, p) };
      itemNegatives = { m: t, weights: negativeWeights(t, p) };
    }
    const users = newSide(userItems.rows, k, p.initScale, random);
    const items = newSide(userItems.cols, k, p.initScale, random);
    for (let it = 1; it <= p.iterations; it++) {
      const started = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw new CancelledError(`LogisticMf.fit at iteration ${it}`);
      ascend(users, items, userItems, userWeights, k, p, random, userNegatives);
      ascend(items, users, itemUsers, itemWeights, k, p, random, itemNegatives);
      for (const [name, side] of [
        ["user", users],
        ["item", items],
      ] as const) {
        if (!side.factors.every(Number.isFinite) || !side.bias.every(Number.isFinite)) {
          throw new ModelFitError(`${name} factors became non-finite at iteration ${it}; lower learningRate or alpha`);
        }
      }
      options.onIteration?.(it, p.iterations, { seconds: (performance.now() - started) / 1000, device: "typed-array CPU" });
    }
    this.set({ rows: userItems.rows, cols: k, data: users.factors }, { rows: userItems.cols, cols: k, data: items.factors }, users.bias, items.bias);
    return this;
  }

  private set(users: DenseMatrix, items: DenseMatrix, userBias: Float32Array, itemBias: Float32Array): void {
    this.setFactors(users, items);
    this.userBiases = userBias;
    this.itemBiases = itemBias;
  }

  /** Ranks by x_u.y_i + b_i (b_u is the same for every item of a user, so it cannot change the order). */
  protected override scoringItemBias(): Float32Array {
    return this.itemBias;
  }

  /**
   * Factors of an unseen listener: the same AdaGrad ascent as training, on this one row with the
   * item side fixed, for `iterations` steps from a seeded start.
   */
  recalculateUser(itemIndices: Int32Array, values: Float32Array): Float32Array {
    const items = this.itemFactors,
      k = items.cols,
      p = this.params;
    const history = mergedHistory(itemIndices, values, items.rows);
    const random = randomOf({ seed: p.seed + 1, random: undefined });
    const user = newSide(1, k, p.initScale, random);
    const itemSide: Side = { factors: items.data, bias: this.itemBias, factorSq: new Float32Array(0), biasSq: new Float32Array(0) };
    const weights = positiveWeights(history, p);
    for (let it = 0; it < p.iterations; it++) ascend(user, itemSide, history, weights, k, p, random);
    return user.factors;
  }

  save(): Uint8Array {
    const users = this.userFactors,
      items = this.itemFactors;
    return writeModelFile("lmf", storableParams(this.params), [
      users,
      items,
      { rows: 1, cols: users.rows, data: this.userBias },
      { rows: 1, cols: items.rows, data: this.itemBias },
    ]);
  }

  static load(bytes: Uint8Array): LogisticMf {
    const file = readModelFile(bytes, "lmf");
    const model = new LogisticMf(file.params);
    const [users, items, userBias, itemBias] = file.matrices;
    const k = model.params.factors;
    if (file.matrices.length !== 4 || users.cols !== k || items.cols !== k || userBias.cols !== users.rows || itemBias.cols !== items.rows) {
      throw new RangeError(`LMF model file must hold user and item factors of ${k} columns and their biases`);
    }
    model.set(users, items, userBias.data, itemBias.data);
    return model;
  }
}
