import { CancelledError } from "../core/errors.ts";
import { TopK } from "../core/topk.ts";
import { lastfmPlayMatrix, readLastfm2k } from "../datasets/lastfm2k.ts";
import { rankingMetrics, type RankingMetrics, type UserRanking } from "../eval/metrics.ts";
import { holdoutSplit } from "../eval/split.ts";
import { CulturalModel } from "./model.ts";
import type { CulturalDocument, CulturalModelOptions } from "./options.ts";

export interface TagRecommenderResult {
  model: "text";
  dataset: "lastfm-2k";
  /** Tag assignments used as documents, and those left out because they name a listener's own held-out artist. */
  taggings: { used: number; leftOut: number };
  /** Artists with at least one tag document. */
  taggedArtists: number;
  shrinkage: number;
  metrics: Pick<RankingMetrics, "precision@10" | "recall@20" | "ndcg@10" | "map@10" | "coverage" | "users">;
}

export interface TagRecommenderOptions {
  folder: string;
  seed: number;
  /** Shrinkage lambda of each candidate's similarity by its support n / (n + lambda), n = its tag documents (default 20). */
  shrinkage: number;
  model: Omit<CulturalModelOptions, "artistOf">;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The tags-as-documents recommender on the CF protocol: seeded 20% holdout of the play matrix;
 * every user tag is a one-line document about its artist, except tags a listener put on their
 * own held-out artists (they would leak the answer). A listener's score for an artist is its
 * summed cultural similarity to the listener's training artists, shrunk by the artist's support.
 */
export async function evaluateTagRecommender(options: TagRecommenderOptions): Promise<TagRecommenderResult> {
  const data = await readLastfm2k(options.folder);
  const { userItems, users, items } = lastfmPlayMatrix(data);
  const split = holdoutSplit(userItems, { seed: options.seed, fraction: 0.2 });
  const heldOut = split.test.map((t) => new Set(t));
  const documents: CulturalDocument[] = [];
  let leftOut = 0;
  for (const tagging of data.taggings) {
    const item = items.indexOf(tagging.artistId);
    const tag = data.tags.get(tagging.tagId);
    if (item < 0 || tag === undefined) continue;
    const user = users.indexOf(tagging.userId);
    if (user >= 0 && heldOut[user].has(item)) {
      leftOut++;
      continue;
    }
    documents.push({ entityId: String(tagging.artistId), kind: "artist", text: tag, source: "tag" });
  }
  const model = new CulturalModel(options.model);
  await model.addDocuments(documents, {
    signal: options.signal,
    onProgress: (done, total) => options.onProgress?.("extracting terms from tags", done, total),
  });
  const { matrix, entityIds } = model.culturalMatrix();
  // Model rows back to play-matrix columns, and each artist's support (its number of tag documents).
  const itemOfRow = Int32Array.from(entityIds, (id) => items.indexOf(Number(id)));
  const rowOfItem = new Int32Array(items.size).fill(-1);
  itemOfRow.forEach((item, row) => (rowOfItem[item] = row));
  const shrink = Float32Array.from(entityIds, (_, row) => {
    const n = model.corpus.documentCounts[row];
    return n / (n + options.shrinkage);
  });

  const rankings: UserRanking[] = [];
  const { train } = split;
  const profile = new Float32Array(matrix.cols);
  const scores = new Float32Array(items.size);
  for (let u = 0; u < train.rows; u++) {
    if (split.test[u].length === 0) continue;
    // Sum of cosines to the listener's artists = dot product with the sum of their vectors.
    profile.fill(0);
    for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
      const row = rowOfItem[train.indices[k]];
      if (row < 0) continue;
      for (let q = matrix.indptr[row]; q < matrix.indptr[row + 1]; q++) profile[matrix.indices[q]] += matrix.data[q];
    }
    scores.fill(0);
    for (let row = 0; row < matrix.rows; row++) {
      let dot = 0;
      for (let q = matrix.indptr[row]; q < matrix.indptr[row + 1]; q++) dot += profile[matrix.indices[q]] * matrix.data[q];
      // Shrunk similarity n / (n + lambda) (Koren 2010, "Factor in the neighbors", shrunk correlation): thinly tagged artists count less.
      scores[itemOfRow[row]] = dot * shrink[row];
    }
    for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) scores[train.indices[k]] = -Infinity;
    const top = new TopK(20);
    for (let j = 0; j < scores.length; j++) if (scores[j] > 0 && scores[j] > top.threshold) top.push(j, scores[j]);
    rankings.push({ ranked: top.sorted().ids, relevant: split.test[u] });
    if (u % 200 === 0) {
      options.onProgress?.("ranking", u, train.rows);
      if (options.signal?.aborted) throw new CancelledError("tag recommender evaluation");
    }
  }
  const m = rankingMetrics(rankings, items.size);
  return {
    model: "text",
    dataset: "lastfm-2k",
    taggings: { used: documents.length, leftOut },
    taggedArtists: matrix.rows,
    shrinkage: options.shrinkage,
    metrics: { "precision@10": m["precision@10"], "recall@20": m["recall@20"], "ndcg@10": m["ndcg@10"], "map@10": m["map@10"], coverage: m.coverage, users: m.users },
  };
}
