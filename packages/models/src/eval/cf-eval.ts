import { ImplicitAls } from "../cf/als.ts";
import { LogisticMf } from "../cf/lmf.ts";
import { PopularityModel } from "../cf/popularity.ts";
import type { ConfidenceKind } from "../cf/params.ts";
import type { Csr } from "../core/matrix.ts";
import { lastfmPlayMatrix, readLastfm2k } from "../datasets/lastfm2k.ts";
import { writeFactorsCsv, writeIdMaps, writeSplitCsv } from "./csv-export.ts";
import { evaluateModelOnSplit } from "./evaluate-model.ts";
import type { RankingMetrics } from "./metrics.ts";
import { holdoutSplit } from "./split.ts";

export type CfModelName = "als" | "lmf" | "popularity";

export interface CfEvalOptions {
  /** "lastfm-2k:<folder>". */
  dataset: string;
  /** Models to train and score; "popularity" is always added. */
  models: string[];
  /** Shared by ALS and LMF; the rest fall back to each model's documented defaults. */
  factors?: number;
  /** ALS lambda (LMF keeps its own default, which suits its different loss). */
  regularization?: number;
  alpha?: number;
  confidence?: ConfidenceKind;
  iterations?: number;
  solver?: "cg" | "cholesky";
  /** Seed of the split and of every model (default 42). */
  seed?: number;
  threads?: number;
  /** Folder for train.csv, test.csv, users.csv, items.csv. */
  splitOut?: string;
  /** Folder for <model>.user_factors.csv and <model>.item_factors.csv (and the id maps). */
  factorsOut?: string;
  onProgress?: (message: string, done: number, total: number) => void;
}

export type CfEvalResult = Record<string, RankingMetrics & { seconds: number }>;

/** A loaded data set as the evaluation needs it: interaction strengths and the id maps. */
export interface EvalDataset {
  userItems: Csr;
  userIds: ArrayLike<string | number>;
  itemIds: ArrayLike<string | number>;
}

export async function loadEvalDataset(dataset: string): Promise<EvalDataset> {
  const match = /^lastfm-2k:(.+)$/.exec(dataset);
  if (!match) throw new RangeError(`dataset must be "lastfm-2k:<folder>", got "${dataset}"`);
  const m = lastfmPlayMatrix(await readLastfm2k(match[1]));
  return { userItems: m.userItems, userIds: m.users.ids, itemIds: m.items.ids };
}

/**
 * The offline protocol of the project: per-user 20% holdout (seeded), each model trained on the
 * rest and scored by `evaluateModelOnSplit`; popularity is always reported beside the models.
 */
export async function evaluateCf(options: CfEvalOptions): Promise<CfEvalResult> {
  const names = [...new Set([...options.models, "popularity"])];
  for (const name of names) {
    if (name !== "als" && name !== "lmf" && name !== "popularity") throw new RangeError(`models must be "als", "lmf" or "popularity", got "${name}"`);
  }
  const seed = options.seed ?? 42;
  const data = await loadEvalDataset(options.dataset);
  const split = holdoutSplit(data.userItems, { seed });
  if (options.splitOut) await writeSplitCsv(options.splitOut, split, data.userIds, data.itemIds);
  if (options.factorsOut) await writeIdMaps(options.factorsOut, data.userIds, data.itemIds);
  const shared = {
    factors: options.factors,
    alpha: options.alpha,
    confidence: options.confidence,
    iterations: options.iterations,
    seed,
  };
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const models = names.map((name) =>
    name === "als"
      ? new ImplicitAls(defined({ ...shared, regularization: options.regularization, solver: options.solver, threads: options.threads }))
      : name === "lmf"
        ? new LogisticMf(defined(shared))
        : new PopularityModel(),
  );
  const steps = models.map((m) => ("params" in m ? m.params.iterations : 1) + 1);
  const total = steps.reduce((a, b) => a + b, 0);
  let done = 0;
  const result: CfEvalResult = {};
  for (let j = 0; j < models.length; j++) {
    const name = names[j],
      model = models[j];
    const started = performance.now();
    await model.fit(split.train, {
      onIteration: (it, of) => options.onProgress?.(`${name}: iteration ${it}/${of}`, ++done, total),
    });
    if (options.factorsOut && !(model instanceof PopularityModel)) {
      await writeFactorsCsv(options.factorsOut, name, model.userFactors, model.itemFactors, model instanceof LogisticMf ? model.itemBias : undefined);
    }
    const metrics = evaluateModelOnSplit(model, split);
    done = steps.slice(0, j + 1).reduce((a, b) => a + b, 0);
    options.onProgress?.(`${name}: evaluated`, done, total);
    result[name] = { ...metrics, seconds: (performance.now() - started) / 1000 };
  }
  return result;
}
