import type { Database } from "@deepcuts/db";
import { alsParams, ImplicitAls, LogisticMf, lmfParams, type AlsParams, type FitOptions, type LmfParams } from "@deepcuts/models/cf";
import { evaluateModelOnSplit, holdoutSplit } from "@deepcuts/models/eval";
import { loadInteractions } from "./interactions.ts";
import { alsLoss, learningCurve, type ValidationPoint } from "./learning-curve.ts";
import { beginModelVersion, failModelVersion, finishModelVersion } from "./model-versions.ts";
import { storeVectors } from "./vector-store.ts";
import { forgetListenersDeletedDuringTraining } from "../privacy/model-rows.ts";
import type { Progress } from "../progress.ts";

/**
 * Trains a collaborative model from the database: first on the standard 20% holdout to
 * measure it (the metrics stored with the version), then on everything for serving. Stores
 * listener and track vectors (rows of `vectors`), the saved model, and per-iteration history:
 * seconds per sweep of both fits, and the holdout model's validation curve (recall@20, nDCG@20,
 * and for ALS its loss) after 1, 2, 4, ... sweeps and at the end.
 */
export async function trainCollaborative(
  db: Database,
  kind: "ALS" | "LMF",
  options: { params?: Partial<AlsParams> & Partial<LmfParams>; threads: number; onProgress?: Progress; signal?: AbortSignal },
) {
  const onProgress = options.onProgress ?? (() => {});
  const params = { ...options.params, threads: options.threads };
  const make = (iterations?: number) =>
    kind === "ALS"
      ? new ImplicitAls({ ...params, ...(iterations ? { iterations } : {}) })
      : new LogisticMf({ ...params, ...(iterations ? { iterations } : {}) });
  const id = await beginModelVersion(db, kind, { ...options.params, threads: options.threads });
  try {
    onProgress("loading interactions", 0, 1);
    const interactions = await loadInteractions(db);
    const split = holdoutSplit(interactions.userItems, { seed: 42 });
    // Skips and "not for me" reach logistic MF as explicit negatives (never a held-out positive:
    // they are only kept for tracks the listener never streamed or saved).
    const negatives = kind === "LMF" ? (interactions.negatives ?? undefined) : undefined;
    const fit = (m: ImplicitAls | LogisticMf, data: typeof split.train, fitOptions: FitOptions) =>
      m instanceof LogisticMf ? m.fit(data, { ...fitOptions, negatives }) : m.fit(data, fitOptions);
    const history: ({ phase: string; iteration: number; seconds: number } | ValidationPoint)[] = [];
    const holdoutModel = make();
    await fit(holdoutModel, split.train, {
      signal: options.signal,
      onIteration: (it, total, info) => {
        history.push({ phase: "holdout", iteration: it, seconds: info.seconds });
        onProgress(`holdout fit, iteration ${it}/${total}`, it, 2 * total);
      },
    });
    const metrics = evaluateModelOnSplit(holdoutModel, split);
    onProgress("validation curve", 0, 1);
    const resolved = kind === "ALS" ? alsParams(params) : lmfParams(params);
    const loss = kind === "ALS" ? (m: ImplicitAls | LogisticMf) => alsLoss(split.train, m.userFactors, m.itemFactors, resolved) : undefined;
    history.push(
      ...(await learningCurve(split, resolved.iterations, (n) => fit(make(n), split.train, { signal: options.signal }), holdoutModel, loss, metrics)),
    );
    const model = make();
    await fit(model, interactions.userItems, {
      signal: options.signal,
      onIteration: (it, total, info) => {
        history.push({ phase: "full", iteration: it, seconds: info.seconds });
        onProgress(`full fit, iteration ${it}/${total}`, total + it, 2 * total);
      },
    });
    onProgress("storing vectors", 1, 1);
    await storeVectors(db, id, "USER", interactions.users.ids, model.userFactors);
    await storeVectors(db, id, interactions.level === "track" ? "TRACK" : "ARTIST", interactions.items.ids, model.itemFactors);
    await finishModelVersion(db, id, {
      artifact: model.save() as Uint8Array<ArrayBuffer>,
      metrics: {
        ...metrics,
        level: interactions.level,
        explicitNegatives: negatives ? negatives.indptr[negatives.rows] : 0,
        listeners: interactions.users.size,
        items: interactions.items.size,
        nonzeros: interactions.userItems.indptr[interactions.userItems.rows],
      },
      history,
    });
    // Listeners deleted while this run trained leave its artifact and vectors (docs/privacy.md).
    await forgetListenersDeletedDuringTraining(db, id, interactions.users.ids);
    return { id, metrics };
  } catch (error) {
    await failModelVersion(db, id, error as Error);
    throw error;
  }
}
