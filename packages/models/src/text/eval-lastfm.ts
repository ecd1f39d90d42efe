import { CancelledError } from "../core/errors.ts";
import { TopK } from "../core/topk.ts";
import { lastfmPlayMatrix, readLastfm2k } from "../datasets/lastfm2k.ts";
import { rankingMetrics, type RankingMetrics, type UserRanking } from "../eval/metrics.ts";
import { holdoutSplit } from "../eval/split.ts";
import type { CulturalModelOptions } from "./options.ts";
import { TagScorer } from "./tag-scores.ts";

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
  const scorer = await TagScorer.build(
    data,
    users,
    items,
    split.test.map((t) => new Set(t)),
    {
      shrinkage: options.shrinkage,
      model: options.model,
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.("extracting terms from tags", done, total),
    },
  );
  const rankings: UserRanking[] = [];
  const { train } = split;
  const scores = new Float32Array(items.size);
  for (let u = 0; u < train.rows; u++) {
    if (split.test[u].length === 0) continue;
    scorer.scores(train, u, scores);
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
    taggings: { used: scorer.documents, leftOut: scorer.leftOut },
    taggedArtists: scorer.taggedArtists,
    shrinkage: options.shrinkage,
    metrics: {
      "precision@10": m["precision@10"],
      "recall@20": m["recall@20"],
      "ndcg@10": m["ndcg@10"],
      "map@10": m["map@10"],
      coverage: m.coverage,
      users: m.users,
    },
  };
}
