import { blendZScores } from "../blend/normalise.ts";
import { ImplicitAls } from "../cf/als.ts";
import { bm25AlsChoice, bm25Weights, type Bm25Params } from "../cf/bm25.ts";
import { Ease } from "../cf/ease.ts";
import type { AlsParams } from "../cf/params.ts";
import { TopK } from "../core/topk.ts";
import { loadEvalDataset } from "./cf-eval.ts";
import { rankingMetrics, type RankingMetrics, type UserRanking } from "./metrics.ts";
import { holdoutSplit, validationSplit, type HoldoutSplit } from "./split.ts";

/** The ALS settings an evaluation command takes as flags. */
export type AlsFlags = Partial<Pick<AlsParams, "factors" | "regularization" | "alpha" | "confidence" | "iterations" | "solver" | "threads">>;

/** The ALS flags that were given: one left out keeps ALS's documented default (an undefined field would override it). */
export function alsFlagOptions(flags: AlsFlags): AlsFlags {
  const { factors, regularization, alpha, confidence, iterations, solver, threads } = flags;
  return Object.fromEntries(Object.entries({ factors, regularization, alpha, confidence, iterations, solver, threads }).filter(([, v]) => v !== undefined));
}

export interface EaseEvalOptions extends AlsFlags {
  /** "lastfm-2k:<folder>". */
  dataset: string;
  /** "ease" alone, or "ease-als": EASE and ALS z-scores blended (ALS and EASE alone reported beside). */
  model: "ease" | "ease-als";
  /** Split seeds, each evaluated on its own (default [42, 7]: the project's split and a second one). */
  seeds?: number[];
  /** EASE lambdas tried on the validation split (default 50, 100, 200). */
  lambdas?: number[];
  /** EASE weights w tried on the validation split; the blend is w z(EASE) + (1 - w) z(ALS). */
  easeWeights?: number[];
  /**
   * BM25 weighting of the plays ALS is fitted on (default the blend's, bm25AlsChoice in cf/bm25.ts, with
   * its raw confidence, alpha and regularization where no flag gives one; against the reference ALS
   * they raised the validation objective from 0.2469 to 0.2571 on seed 42 and from 0.2538 to 0.2643
   * on seed 7, docs/cf.md); null fits the reference ALS
   * (ALS's defaults: log1p of the plays, alpha 1, regularization 0.05) on the plays.
   */
  alsBm25?: Partial<Bm25Params> | null;
  onProgress?: (message: string, done: number, total: number) => void;
}

export type EaseEvalRow = RankingMetrics & { seed: number; lambda?: number; easeWeight?: number; validation?: Record<string, number> };
/** Keyed "<model>" for the first seed and "<model> seed <s>" for the others. */
export type EaseEvalResult = Record<string, EaseEvalRow>;

/** Top 20 of every evaluated listener by w z(EASE) + (1 - w) z(ALS) over the items not in their training history. */
function rankBlend(split: HoldoutSplit, ease: Ease | null, als: ImplicitAls | null, easeWeight: number): UserRanking[] {
  const { train } = split;
  const items = train.cols;
  const easeScores = new Float32Array(items),
    alsScores = new Float32Array(items);
  const eligible = new Uint8Array(items);
  const rankings: UserRanking[] = [];
  for (let u = 0; u < train.rows; u++) {
    if (split.test[u].length === 0) continue;
    if (ease && easeWeight > 0) ease.scoreHistory(train, train.indptr[u], train.indptr[u + 1], easeScores);
    if (als && easeWeight < 1) {
      const x = als.userFactors,
        y = als.itemFactors,
        k = x.cols;
      for (let i = 0; i < items; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += x.data[u * k + c] * y.data[i * k + c];
        alsScores[i] = s;
      }
    }
    eligible.fill(1);
    for (let q = train.indptr[u]; q < train.indptr[u + 1]; q++) eligible[train.indices[q]] = 0;
    const { total } = blendZScores(
      [
        { weight: easeWeight, scores: easeScores },
        { weight: 1 - easeWeight, scores: alsScores },
      ],
      eligible,
      items,
    );
    const top = new TopK(20);
    for (let i = 0; i < items; i++) if (eligible[i] && total[i] > top.threshold) top.push(i, total[i]);
    rankings.push({ ranked: top.sorted().ids, relevant: split.test[u] });
  }
  return rankings;
}

/** Metrics of the blend w z(EASE) + (1 - w) z(ALS) on a split whose training part both models were fitted on. */
export function easeAlsMetrics(split: HoldoutSplit, ease: Ease | null, als: ImplicitAls | null, easeWeight: number): RankingMetrics {
  return rankingMetrics(rankBlend(split, ease, als, easeWeight), split.train.cols);
}

/** The argument with the highest score (the first on ties). */
function best(candidates: number[], score: (c: number) => number, record: Record<string, number>): number {
  let chosen = candidates[0],
    top = -Infinity;
  for (const c of candidates) {
    const s = score(c);
    record[String(c)] = s;
    if (s > top) {
      top = s;
      chosen = c;
    }
  }
  return chosen;
}

/**
 * `deepcuts eval --model ease|ease-als --dataset lastfm-2k:<folder>`: the collaborative protocol
 * (per-user 20% holdout) for every seed. On a validation split carved from each training part
 * (validationSplit; the test split is never looked at) lambda is chosen by recall@20 of EASE alone,
 * then the EASE weight of the blend by recall@20 of the blend; both models are then refitted on
 * the whole training part and scored on the test split.
 */
export async function evaluateEase(options: EaseEvalOptions): Promise<EaseEvalResult> {
  const seeds = options.seeds ?? [42, 7];
  const lambdas = options.lambdas ?? [50, 100, 200];
  const easeWeights = options.easeWeights ?? [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1];
  const blend = options.model === "ease-als";
  const progress = options.onProgress ?? (() => {});
  const data = await loadEvalDataset(options.dataset);
  const catalogue = data.userItems.cols;
  const perSeed = lambdas.length + 1 + (blend ? 2 : 0);
  let done = 0;
  const step = (message: string) => progress(message, ++done, perSeed * seeds.length);
  const alsBm25 = options.alsBm25 === null ? null : { ...bm25AlsChoice.bm25, ...options.alsBm25 };
  const alsOptions = alsBm25 ? { ...bm25AlsChoice.als, ...alsFlagOptions(options) } : alsFlagOptions(options);
  const fitAls = async (train: HoldoutSplit["train"], seed: number) =>
    new ImplicitAls({ ...alsOptions, seed }).fit(alsBm25 ? bm25Weights(train, alsBm25) : train);
  const result: EaseEvalResult = {};
  for (const [s, seed] of seeds.entries()) {
    const key = (name: string) => (s === 0 ? name : `${name} seed ${seed}`);
    const split = holdoutSplit(data.userItems, { seed });
    const validation = validationSplit(split.train, { seed });
    const lambdaRecall: Record<string, number> = {};
    // Validation: one EASE per lambda (kept only for the best), recall@20 of EASE alone.
    let bestLambda = lambdas[0],
      bestRecall = -Infinity,
      bestEase: Ease | null = null;
    for (const l of lambdas) {
      const ease = await new Ease({ lambda: l }).fit(validation.train);
      step(`seed ${seed} validation: EASE lambda ${l}`);
      const recall = rankingMetrics(rankBlend(validation, ease, null, 1), catalogue)["recall@20"];
      lambdaRecall[String(l)] = recall;
      if (recall > bestRecall) {
        bestRecall = recall;
        bestLambda = l;
        bestEase = ease;
      }
    }
    let easeWeight = 1;
    const weightRecall: Record<string, number> = {};
    if (blend) {
      const als = await fitAls(validation.train, seed);
      step(`seed ${seed} validation: ALS`);
      easeWeight = best(easeWeights, (w) => rankingMetrics(rankBlend(validation, bestEase, als, w), catalogue)["recall@20"], weightRecall);
    }
    bestEase = null;
    const ease = await new Ease({ lambda: bestLambda }).fit(split.train);
    step(`seed ${seed} test: EASE lambda ${bestLambda}`);
    const validationOf = (record: Record<string, number>, prefix: string) =>
      Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix} ${k}`, Number(v.toFixed(4))]));
    result[key("ease")] = {
      ...rankingMetrics(rankBlend(split, ease, null, 1), catalogue),
      seed,
      lambda: bestLambda,
      validation: validationOf(lambdaRecall, "recall@20 at lambda"),
    };
    if (blend) {
      const als = await fitAls(split.train, seed);
      step(`seed ${seed} test: ALS`);
      result[key("ease-als")] = {
        ...rankingMetrics(rankBlend(split, ease, als, easeWeight), catalogue),
        seed,
        lambda: bestLambda,
        easeWeight,
        validation: validationOf(weightRecall, "recall@20 at EASE weight"),
      };
      result[key("als")] = { ...rankingMetrics(rankBlend(split, null, als, 0), catalogue), seed };
    }
  }
  return result;
}
