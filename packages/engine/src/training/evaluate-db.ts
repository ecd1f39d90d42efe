import type { Database } from "@deepcuts/db";
import { ImplicitAls, LogisticMf, PopularityModel, type Recommender } from "@deepcuts/models/cf";
import { evaluateModelOnSplit, holdoutSplit, writeFactorsCsv, writeIdMaps, writeSplitCsv, type RankingMetrics } from "@deepcuts/models/eval";
import { loadInteractions } from "./interactions.ts";

/**
 * The offline protocol on the database's own listening data: the same 20% holdout, models and
 * metrics as `deepcuts eval --dataset lastfm-2k:...`, popularity always beside. `splitOut` and
 * `factorsOut` write the split and each factor model's user and item factors as CSV, as the
 * file datasets do; dense indices map to database ids (users.csv, items.csv: tracks, or artists
 * for artist-level data).
 */
export async function evaluateDatabaseModels(
  db: Database,
  models: ("als" | "lmf" | "popularity")[],
  options: {
    factors?: number;
    regularization?: number;
    alpha?: number;
    confidence?: "log1p" | "raw";
    iterations?: number;
    solver?: "cg" | "cholesky";
    threads: number;
    seed: number;
    splitOut?: string;
    factorsOut?: string;
    onProgress?: (m: string, d: number, t: number) => void;
  },
): Promise<Record<string, RankingMetrics & { seconds: number }>> {
  const interactions = await loadInteractions(db);
  const split = holdoutSplit(interactions.userItems, { seed: options.seed });
  const userIds = interactions.users.ids,
    itemIds = interactions.items.ids;
  if (options.splitOut) await writeSplitCsv(options.splitOut, split, userIds, itemIds);
  if (options.factorsOut) await writeIdMaps(options.factorsOut, userIds, itemIds);
  const out: Record<string, RankingMetrics & { seconds: number }> = {};
  const names = [...new Set([...models, "popularity" as const])];
  const defined = Object.fromEntries(
    Object.entries({
      factors: options.factors,
      regularization: options.regularization,
      alpha: options.alpha,
      confidence: options.confidence,
      iterations: options.iterations,
      solver: options.solver,
    }).filter(([, v]) => v !== undefined),
  );
  for (const [k, name] of names.entries()) {
    options.onProgress?.(`training ${name}`, k, names.length);
    const started = performance.now();
    const model: Recommender & { fit(m: typeof split.train): Promise<unknown> } =
      name === "als"
        ? new ImplicitAls({ ...defined, threads: options.threads, seed: options.seed })
        : name === "lmf"
          ? new LogisticMf({ ...defined, seed: options.seed })
          : new PopularityModel();
    await model.fit(split.train);
    out[name] = { ...evaluateModelOnSplit(model, split), seconds: (performance.now() - started) / 1000 };
    if (options.factorsOut && (model instanceof ImplicitAls || model instanceof LogisticMf)) {
      await writeFactorsCsv(options.factorsOut, name, model.userFactors, model.itemFactors, model instanceof LogisticMf ? model.itemBias : undefined);
    }
  }
  options.onProgress?.("done", names.length, names.length);
  return out;
}
