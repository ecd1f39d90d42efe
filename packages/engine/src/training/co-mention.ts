import type { Database } from "@deepcuts/db";
import { csrFromTriples, IdIndex } from "@deepcuts/models/core";
import { beginModelVersion, failModelVersion, finishModelVersion } from "./model-versions.ts";
import { storeVectors } from "./vector-store.ts";
import type { Progress } from "../progress.ts";

export interface TrainCoMentionOptions {
  /** Dimensions of the artist vectors (default: floor(sqrt(artists) / 2), 8..128). */
  dims?: number;
  /** Exponent of the context artist's count in PMI (default 0.75; 1 = plain PMI). */
  smoothing?: number;
  seed?: number;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface CoMentionTrainingMetrics {
  /** Articles that mention at least one catalogue artist. */
  articles: number;
  /** Artists written about with at least one other: those with a vector. */
  artists: number;
  /** Artist pairs with a positive PMI, both directions. */
  pairs: number;
  dims: number;
  seconds: number;
}

/**
 * CO_MENTION: artist vectors from which artists crawled articles write about together (the
 * article x artist matrix of `article_mentions`, PPMI, truncated SVD; models/text/co-mention.ts),
 * stored as a new active version, so similarity, the graph and exports serve them like any model's.
 */
export async function trainCoMention(db: Database, options: TrainCoMentionOptions = {}) {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => {});
  const rows = await db.query<{ article_id: number; artist_id: number }>(`SELECT article_id, artist_id FROM article_mentions ORDER BY article_id, artist_id`);
  if (rows.length === 0) throw new Error("no crawled articles mention a catalogue artist yet: crawl first ('deepcuts crawl', or 'deepcuts demo')");
  const articles = new IdIndex<number>([...new Set(rows.map((r) => r.article_id))]);
  const artists = new IdIndex<number>([...new Set(rows.map((r) => r.artist_id))].sort((a, b) => a - b));
  const mentions = csrFromTriples(articles.size, artists.size, {
    rows: Int32Array.from(rows, (r) => articles.indexOf(r.article_id)),
    cols: Int32Array.from(rows, (r) => artists.indexOf(r.artist_id)),
    values: new Float32Array(rows.length).fill(1),
  });
  const seed = options.seed ?? 42;
  const id = await beginModelVersion(db, "CO_MENTION", {
    dims: options.dims ?? null,
    smoothing: options.smoothing ?? 0.75,
    seed,
    lastArticleId: articles.idAt(articles.size - 1),
  });
  try {
    onProgress(`embedding ${artists.size} artists from ${articles.size} articles`, 0, 2);
    const { coMentionVectors } = await import("@deepcuts/models/text");
    const embedding = coMentionVectors(mentions, { dims: options.dims, smoothing: options.smoothing, seed, signal: options.signal });
    onProgress("storing vectors", 1, 2);
    await storeVectors(
      db,
      id,
      "ARTIST",
      Array.from(embedding.artists, (column) => artists.idAt(column)),
      embedding.vectors,
    );
    const metrics: CoMentionTrainingMetrics = {
      articles: embedding.articles,
      artists: embedding.artists.length,
      pairs: embedding.pairs,
      dims: embedding.dims,
      seconds: (Date.now() - started) / 1000,
    };
    await finishModelVersion(db, id, { metrics });
    onProgress("done", 2, 2);
    return { id, metrics };
  } catch (error) {
    await failModelVersion(db, id, error as Error);
    throw error;
  }
}
