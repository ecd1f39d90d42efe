import { checkBackendKind, type BackendKind } from "../core/backend.ts";
import type { Random } from "../core/random.ts";
import { seededRandom } from "../core/random.ts";

export type ConfidenceKind = "log1p" | "raw";

/**
 * Implicit-feedback ALS parameters. The defaults follow the `implicit` library's conventions,
 * which the Last.fm quality bar was measured with.
 */
export interface AlsParams {
  /** Latent dimensions (default 64). */
  factors: number;
  /** L2 penalty lambda, added unscaled to the diagonal of every normal equation (default 0.05). */
  regularization: number;
  /** Confidence slope: c = 1 + alpha * f(r) (default 1). */
  alpha: number;
  /** f in the confidence: "log1p" (default) or "raw" (Hu, Koren and Volinsky use raw counts). */
  confidence: ConfidenceKind;
  /** Alternating sweeps, users then items (default 15). */
  iterations: number;
  /** "cg": warm-started conjugate gradient (Takacs et al. 2011); "cholesky": exact solve (default "cg"). */
  solver: "cg" | "cholesky";
  /** Conjugate-gradient steps per row and sweep (default 3, as implicit). */
  cgSteps: number;
  /** Factors start uniform in [0, initScale) (default 0.01, as implicit). */
  initScale: number;
  /**
   * CPU CG row solves in the WebAssembly SIMD kernels (float32) when the runtime has them and
   * factors is a multiple of 4; false keeps the float64 TypeScript loops (default true).
   */
  simd: boolean;
  /** Compute backend (default "auto": gpu.js only when it reports a real GPU). */
  backend: BackendKind;
  /** Threads for row solves; 1 solves in-process (default: available cores). */
  threads: number;
  /** Seed of the default random source (default 42). */
  seed: number;
  /** Injectable random source; overrides `seed` when given. */
  random?: Random;
}

/** Logistic MF parameters (Johnson 2014); defaults as implicit's LogisticMatrixFactorization except the step size. */
export interface LmfParams {
  /** Latent dimensions (default 30). */
  factors: number;
  /**
   * AdaGrad base step size (default 0.2: on a validation split carved from Last.fm 2K training
   * data it beat implicit's 1.0, which overshoots on the first AdaGrad steps).
   */
  learningRate: number;
  /** L2 penalty lambda on the factor vectors (default 0.6). */
  regularization: number;
  /** Confidence slope of the positive examples: weight alpha * f(r) (default 1). */
  alpha: number;
  /** f in the positive weight (default "log1p"). */
  confidence: ConfidenceKind;
  /** Alternating gradient-ascent sweeps (default 30). */
  iterations: number;
  /** Unobserved items sampled per observed one as negatives (default 30). */
  negativeSamples: number;
  /**
   * Weight of an explicit negative (skips, "not for me": `fit`'s `negatives`): its term is
   * negativeWeight * (1 + f(n)) * log(1 - sigma) (default 1; 0 ignores explicit negatives).
   */
  negativeWeight: number;
  /** Factors start normal with this standard deviation (default 0.01). */
  initScale: number;
  backend: BackendKind;
  seed: number;
  random?: Random;
}

/** EASE parameters (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"). */
export interface EaseParams {
  /**
   * L2 penalty lambda added to the diagonal of the item Gram matrix X^T X (default 100: best of
   * 50, 100, 200, 400 on validation splits carved from Last.fm 2K training data, seeds 42 and 7).
   */
  lambda: number;
  /** Items need at least this many listeners to enter the item-item matrix (default 2). */
  minListeners: number;
  /**
   * Most items the dense item-item matrix may hold (default 10,000: 800 MB of float64 while
   * inverting, 400 MB of float32 after); more throws a RangeError naming the limit.
   */
  maxItems: number;
}

export const easeDefaults: Readonly<EaseParams> = { lambda: 100, minListeners: 2, maxItems: 10_000 };

export function easeParams(options: Partial<EaseParams> = {}): EaseParams {
  const p: EaseParams = { ...easeDefaults, ...options };
  checkRange("lambda", p.lambda, 1e-9, 1e9, false);
  checkRange("minListeners", p.minListeners, 1, 1e9, true);
  checkRange("maxItems", p.maxItems, 1, 46_340, true);
  return p;
}

export interface Rp3BetaParams {
  /** Exponent of both transition probabilities (default 1: plain random-walk probabilities). */
  alpha: number;
  /** Popularity penalty: W[i][j] is divided by popularity(j)^beta (default 0.45). */
  beta: number;
  /** Largest weights kept per item row of W (default 500). */
  neighbours: number;
}

/**
 * RP3beta defaults: best mean recall@20 + nDCG@10 of the blend with RP3beta as its fourth source
 * on the validation splits carved from the Last.fm 2K training parts of seeds 42 and 7 (docs/cf.md,
 * "RP3beta"): alpha 1, beta 0.45, 500 neighbours.
 */
export const rp3BetaDefaults: Readonly<Rp3BetaParams> = { alpha: 1, beta: 0.45, neighbours: 500 };

export function rp3BetaParams(options: Partial<Rp3BetaParams> = {}): Rp3BetaParams {
  const p: Rp3BetaParams = { ...rp3BetaDefaults, ...options };
  checkRange("alpha", p.alpha, 0, 10, false);
  checkRange("beta", p.beta, 0, 10, false);
  checkRange("neighbours", p.neighbours, 1, 1e9, true);
  return p;
}

export const alsDefaults: Readonly<AlsParams> = {
  factors: 64,
  regularization: 0.05,
  alpha: 1,
  confidence: "log1p",
  iterations: 15,
  solver: "cg",
  cgSteps: 3,
  initScale: 0.01,
  simd: true,
  backend: "auto",
  threads: 0,
  seed: 42,
};

export const lmfDefaults: Readonly<LmfParams> = {
  factors: 30,
  learningRate: 0.2,
  regularization: 0.6,
  alpha: 1,
  confidence: "log1p",
  iterations: 30,
  negativeSamples: 30,
  negativeWeight: 1,
  initScale: 0.01,
  backend: "auto",
  seed: 42,
};

function checkRange(name: string, value: number, min: number, max: number, integer: boolean): void {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? "an integer " : ""}in ${min}..${max}, got ${value}`);
  }
}

/** The fields ALS and LMF share, with the same ranges. */
function checkShared(p: AlsParams | LmfParams): void {
  checkRange("factors", p.factors, 1, 1024, true);
  checkRange("regularization", p.regularization, 0, 1e6, false);
  checkRange("alpha", p.alpha, 0, 1e6, false);
  checkRange("iterations", p.iterations, 0, 10_000, true);
  checkRange("initScale", p.initScale, 0, 100, false);
  if (p.confidence !== "log1p" && p.confidence !== "raw") {
    throw new RangeError(`confidence must be "log1p" or "raw", got "${String(p.confidence)}"`);
  }
  checkBackendKind(p.backend);
}

/** Merges user options over the defaults and validates every field. */
export function alsParams(options: Partial<AlsParams> = {}, availableCores = 1): AlsParams {
  const p: AlsParams = { ...alsDefaults, ...options };
  if (!options.threads) p.threads = availableCores;
  checkShared(p);
  checkRange("cgSteps", p.cgSteps, 1, 1024, true);
  checkRange("threads", p.threads, 1, 256, true);
  if (p.solver !== "cg" && p.solver !== "cholesky") throw new RangeError(`solver must be "cg" or "cholesky", got ${JSON.stringify(p.solver)}`);
  return p;
}

export function lmfParams(options: Partial<LmfParams> = {}): LmfParams {
  const p: LmfParams = { ...lmfDefaults, ...options };
  checkShared(p);
  checkRange("learningRate", p.learningRate, 1e-9, 1e6, false);
  checkRange("negativeSamples", p.negativeSamples, 0, 10_000, true);
  checkRange("negativeWeight", p.negativeWeight, 0, 1e6, false);
  return p;
}

export function randomOf(p: { random?: Random; seed: number }): Random {
  return p.random ?? seededRandom(p.seed);
}

/** The parameters that describe a trained model (what save() stores), without the random source. */
export function storableParams<T extends { random?: Random }>(p: T): Omit<T, "random"> {
  const { random: _random, ...rest } = p;
  return rest;
}
