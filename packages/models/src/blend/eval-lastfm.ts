import { ImplicitAls } from "../cf/als.ts";
import type { AlsParams } from "../cf/params.ts";
import type { Csr } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import { lastfmPlayMatrix, readLastfm2k } from "../datasets/lastfm2k.ts";
import { rankingMetrics, type RankingMetrics, type UserRanking } from "../eval/metrics.ts";
import { holdoutSplit, validationSplit, type HoldoutSplit } from "../eval/split.ts";
import { blendZScores } from "./normalize.ts";
import { TagScorer } from "../text/tag-scores.ts";

export interface BlendEvalOptions extends Partial<Pick<AlsParams, "factors" | "regularization" | "alpha" | "confidence" | "iterations" | "solver" | "threads">> {
  /** "lastfm-2k:<folder>". */
  dataset: string;
  seed?: number;
  /** Text weights tried on the validation split (collaborative weight 1). */
  textWeights?: number[];
  onProgress?: (message: string, done: number, total: number) => void;
}

export type BlendEvalResult = Record<string, RankingMetrics & { textWeight?: number; validation?: Record<string, number> }>;

interface Scored {
  cf: ImplicitAls;
  tags: TagScorer;
}

/** Ranks each listener's held-out artists by the blend of z-scored ALS and tag scores. */
function rank(split: HoldoutSplit, scored: Scored, textWeight: number, cfWeight = 1): UserRanking[] {
  const { train } = split;
  const x = scored.cf.userFactors, y = scored.cf.itemFactors;
  const k = x.cols;
  const cf = new Float32Array(train.cols), text = new Float32Array(train.cols);
  const eligible = new Uint8Array(train.cols);
  const rankings: UserRanking[] = [];
  for (let u = 0; u < train.rows; u++) {
    if (split.test[u].length === 0) continue;
    for (let i = 0; i < train.cols; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += x.data[u * k + c] * y.data[i * k + c];
      cf[i] = s;
    }
    if (textWeight > 0) scored.tags.scores(train, u, text);
    eligible.fill(1);
    for (let q = train.indptr[u]; q < train.indptr[u + 1]; q++) eligible[train.indices[q]] = 0;
    const { total } = blendZScores([{ weight: cfWeight, scores: cf }, { weight: textWeight, scores: text }], eligible, train.cols);
    const top = new TopK(20);
    for (let i = 0; i < train.cols; i++) if (eligible[i] && total[i] > top.threshold) top.push(i, total[i]);
    rankings.push({ ranked: top.sorted().ids, relevant: split.test[u] });
  }
  return rankings;
}

async function fitBoth(data: Awaited<ReturnType<typeof readLastfm2k>>, m: ReturnType<typeof lastfmPlayMatrix>, train: Csr, hidden: Set<number>[], options: BlendEvalOptions, seed: number): Promise<Scored> {
  const cf = new ImplicitAls({
    factors: options.factors ?? 64, regularization: options.regularization ?? 0.05, alpha: options.alpha ?? 1,
    confidence: options.confidence ?? "log1p", iterations: options.iterations ?? 15, solver: options.solver ?? "cg",
    threads: options.threads, seed,
  });
  await cf.fit(train);
  const tags = await TagScorer.build(data, m.users, m.items, hidden);
  return { cf, tags };
}

/**
 * `deepcuts eval --model blend --dataset lastfm-2k:<folder>`: ALS blended with the tag text model,
 * on the collaborative protocol. The text weight is chosen on a validation split carved from the
 * training data (validationSplit), never on the test split; then both models are refitted on the
 * whole training data and the chosen blend is scored on the test split, beside each model alone.
 */
export async function evaluateBlendLastfm(options: BlendEvalOptions): Promise<BlendEvalResult> {
  const match = /^lastfm-2k:(.+)$/.exec(options.dataset);
  if (!match) throw new RangeError(`dataset must be "lastfm-2k:<folder>", got "${options.dataset}"`);
  const seed = options.seed ?? 42;
  const progress = options.onProgress ?? (() => {});
  const data = await readLastfm2k(match[1]);
  const m = lastfmPlayMatrix(data);
  const split = holdoutSplit(m.userItems, { seed });
  const validation = validationSplit(split.train, { seed });
  const weights = options.textWeights ?? [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];

  progress("validation: fitting ALS and the tag model", 0, 4);
  // Hide both the validation and the test artists' tags: the test split stays unseen throughout.
  const hiddenValidation = validation.test.map((t, u) => new Set([...t, ...split.test[u]]));
  const onValidation = await fitBoth(data, m, validation.train, hiddenValidation, options, seed);
  const validationRecall: Record<string, number> = {};
  let best = 0, bestRecall = -1;
  for (const [k, w] of weights.entries()) {
    progress(`validation: text weight ${w}`, 1 + k / weights.length, 4);
    const recall = rankingMetrics(rank(validation, onValidation, w), m.userItems.cols)["recall@20"];
    validationRecall[String(w)] = recall;
    if (recall > bestRecall) {
      bestRecall = recall;
      best = w;
    }
  }

  progress("test: refitting on all training data", 2, 4);
  const onTest = await fitBoth(data, m, split.train, split.test.map((t) => new Set(t)), options, seed);
  progress("test: scoring", 3, 4);
  const catalogue = m.userItems.cols;
  const popularity = new Float32Array(catalogue);
  for (let q = 0; q < split.train.indptr[split.train.rows]; q++) popularity[split.train.indices[q]]++;
  const popularityRankings: UserRanking[] = split.test.flatMap((relevant, u) => {
    if (relevant.length === 0) return [];
    const heard = new Set(split.train.indices.subarray(split.train.indptr[u], split.train.indptr[u + 1]));
    const top = new TopK(20);
    for (let i = 0; i < catalogue; i++) if (!heard.has(i)) top.push(i, popularity[i]);
    return [{ ranked: top.sorted().ids, relevant }];
  });
  const result: BlendEvalResult = {
    blend: { ...rankingMetrics(rank(split, onTest, best), catalogue), textWeight: best, validation: validationRecall },
    als: rankingMetrics(rank(split, onTest, 0), catalogue),
    text: rankingMetrics(rank(split, onTest, 1, 0), catalogue),
    popularity: rankingMetrics(popularityRankings, catalogue),
  };
  progress("done", 4, 4);
  return result;
}
