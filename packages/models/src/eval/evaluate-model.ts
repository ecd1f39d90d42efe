import type { Csr } from "../core/matrix.ts";
import type { Recommender } from "../cf/recommend.ts";
import { rankingMetrics, type RankingMetrics } from "./metrics.ts";
import type { HoldoutSplit } from "./split.ts";

/** The rows of `m` for the given users, in that order (a per-request history matrix). */
export function selectRows(m: Csr, rowIndices: Int32Array): Csr {
  const indptr = new Int32Array(rowIndices.length + 1);
  for (let b = 0; b < rowIndices.length; b++) {
    const r = rowIndices[b];
    indptr[b + 1] = indptr[b] + m.indptr[r + 1] - m.indptr[r];
  }
  const indices = new Int32Array(indptr[rowIndices.length]);
  const data = new Float32Array(indptr[rowIndices.length]);
  for (let b = 0; b < rowIndices.length; b++) {
    const r = rowIndices[b];
    indices.set(m.indices.subarray(m.indptr[r], m.indptr[r + 1]), indptr[b]);
    data.set(m.data.subarray(m.indptr[r], m.indptr[r + 1]), indptr[b]);
  }
  return { rows: rowIndices.length, cols: m.cols, indptr, indices, data };
}

/**
 * Scores any fitted recommender on a holdout split: top 20 for every user with held-out items,
 * training items excluded from the ranking, then precision, recall, nDCG, MAP and coverage.
 * Works the same for models trained from files or from the database.
 */
export function evaluateModelOnSplit(model: Recommender, split: HoldoutSplit, options: { batchSize?: number } = {}): RankingMetrics {
  const batchSize = options.batchSize ?? 256;
  const evaluated = Int32Array.from(split.test.flatMap((items, u) => (items.length ? [u] : [])));
  const rankings = [];
  for (let start = 0; start < evaluated.length; start += batchSize) {
    const users = evaluated.subarray(start, Math.min(evaluated.length, start + batchSize));
    const rec = model.recommend(users, selectRows(split.train, users), { n: 20, filterLiked: true });
    for (let b = 0; b < users.length; b++) {
      const ranked = Array.from(rec.ids.subarray(b * 20, b * 20 + 20)).filter((i) => i >= 0);
      rankings.push({ ranked, relevant: split.test[users[b]] });
    }
  }
  return rankingMetrics(rankings, split.train.cols);
}
