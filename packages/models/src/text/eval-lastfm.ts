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
  neighbours: number;
  metrics: Pick<RankingMetrics, "precision@10" | "recall@20" | "ndcg@10" | "map@10" | "coverage" | "users">;
}

export interface TagRecommenderOptions {
  folder: string;
  seed: number;
  /** Most similar artists kept per artist in the item-item scores (0 = all: plain centroid similarity). */
  neighbours: number;
  model: Omit<CulturalModelOptions, "artistOf">;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The tags-as-documents recommender on the CF protocol: seeded 20% holdout of the play matrix;
 * every user tag is a one-line document about its artist, except tags a listener put on their
 * own held-out artists (they would leak the answer). A listener's score for an artist is its
 * summed cultural similarity to the listener's training artists.
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
  // Model rows back to play-matrix columns.
  const itemOfRow = Int32Array.from(entityIds, (id) => items.indexOf(Number(id)));
  const rowOfItem = new Int32Array(items.size).fill(-1);
  itemOfRow.forEach((item, row) => (rowOfItem[item] = row));
  const neighbours = itemNeighbours(model, itemOfRow, options);

  const rankings: UserRanking[] = [];
  const { train } = split;
  const scores = new Float32Array(items.size);
  for (let u = 0; u < train.rows; u++) {
    if (split.test[u].length === 0) continue;
    scores.fill(0);
    for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) {
      const list = neighbours[train.indices[k]];
      if (!list) continue;
      for (let i = 0; i < list.ids.length; i++) scores[list.ids[i]] += list.scores[i];
    }
    for (let k = train.indptr[u]; k < train.indptr[u + 1]; k++) scores[train.indices[k]] = -Infinity;
    const top = new TopK(20);
    for (let j = 0; j < scores.length; j++) if (scores[j] > 0 && scores[j] > top.threshold) top.push(j, scores[j]);
    rankings.push({ ranked: top.sorted().ids, relevant: split.test[u] });
    if (u % 200 === 0) options.onProgress?.("ranking", u, train.rows);
  }
  const m = rankingMetrics(rankings, items.size);
  return {
    model: "text",
    dataset: "lastfm-2k",
    taggings: { used: documents.length, leftOut },
    taggedArtists: matrix.rows,
    neighbours: options.neighbours,
    metrics: { "precision@10": m["precision@10"], "recall@20": m["recall@20"], "ndcg@10": m["ndcg@10"], "map@10": m["map@10"], coverage: m.coverage, users: m.users },
  };
}

/** For each play-matrix artist with tags, its most similar artists (play-matrix indices) and cosines. */
function itemNeighbours(model: CulturalModel, itemOfRow: Int32Array, options: TagRecommenderOptions) {
  const { entityIds } = model.culturalMatrix();
  const lists: ({ ids: Int32Array; scores: Float32Array } | undefined)[] = [];
  const k = options.neighbours > 0 ? options.neighbours : entityIds.length;
  entityIds.forEach((id, row) => {
    const scores = model.scoresFor(id, "sparse")!;
    const top = new TopK(k);
    for (let r = 0; r < scores.length; r++) if (r !== row && scores[r] > 0 && scores[r] > top.threshold) top.push(r, scores[r]);
    const best = top.sorted();
    lists[itemOfRow[row]] = { ids: Int32Array.from(best.ids, (r) => itemOfRow[r]), scores: best.scores };
    if (row % 1000 === 0) options.onProgress?.("artist neighbours", row, entityIds.length);
  });
  return lists;
}
