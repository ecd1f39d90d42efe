import type { Database } from "@deepcuts/db";
import { missing } from "../service-error.ts";

export interface CoMention {
  artist: { id: number; name: string };
  /** Articles that mention both. */
  articles: number;
  /** Pointwise mutual information ln(P(a,b) / (P(a) P(b))) over articles with a mention. */
  pmi: number;
  /** Normalised PMI (Bouma 2009): pmi / -ln P(a,b), in [-1, 1]; 1 = always written about together. */
  score: number;
  explanation: string;
}

/** "written about with Burial in 12 articles" */
export function coMentionExplanation(name: string, articles: number): string {
  return `written about with ${name} in ${articles} article${articles === 1 ? "" : "s"}`;
}

/**
 * For each of `others`, the crawled articles that name it together with `artistId`, and the
 * explanation of that: what a CO_MENTION neighbour is shown with (0 articles when the two were
 * never named together and only share whom they are written about with).
 */
export async function sharedArticles(db: Database, artistId: number, others: number[]): Promise<Map<number, { sharedArticles: number; explanation: string }>> {
  const rows = await db.query<{ id: number; name: string; shared: number }>(
    `SELECT a.id, a.name, count(m2.article_id)::int AS shared
     FROM artists a
     LEFT JOIN article_mentions m2 ON m2.artist_id = a.id
       AND EXISTS (SELECT 1 FROM article_mentions m1 WHERE m1.article_id = m2.article_id AND m1.artist_id = $1)
     WHERE a.id = ANY($2::int[]) GROUP BY a.id, a.name`,
    [artistId, others],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        sharedArticles: r.shared,
        explanation: r.shared > 0 ? coMentionExplanation(r.name, r.shared) : `never named with ${r.name}, but written about with the same artists`,
      },
    ]),
  );
}

/**
 * The artists written about together with `artistId` in crawled articles, by normalised PMI
 * (ties by shared articles): PMI alone favours pairs seen once, so pairs under `minArticles`
 * shared articles are left out and NPMI bounds the score. Probabilities are over the articles
 * that mention any catalogue artist.
 */
export async function coMentionNeighbours(db: Database, artistId: number, options: { limit?: number; minArticles?: number } = {}): Promise<CoMention[]> {
  const limit = options.limit ?? 10;
  const minArticles = options.minArticles ?? 2;
  const [artist] = await db.query<{ id: number }>(`SELECT id FROM artists WHERE id = $1`, [artistId]);
  if (!artist) throw missing(`artist ${artistId}`);
  const [totals] = await db.query<{ total: number; own: number }>(
    `SELECT (SELECT count(DISTINCT article_id)::int FROM article_mentions) AS total,
            (SELECT count(*)::int FROM article_mentions WHERE artist_id = $1) AS own`,
    [artistId],
  );
  if (totals.own === 0) return [];
  const rows = await db.query<{ id: number; name: string; joint: number; n: number }>(
    `WITH mine AS (SELECT article_id FROM article_mentions WHERE artist_id = $1),
          pairs AS (SELECT m.artist_id, count(*)::int AS joint FROM article_mentions m JOIN mine USING (article_id)
                    WHERE m.artist_id <> $1 GROUP BY m.artist_id HAVING count(*) >= $2)
     SELECT p.artist_id AS id, a.name, p.joint, (SELECT count(*)::int FROM article_mentions x WHERE x.artist_id = p.artist_id) AS n
     FROM pairs p JOIN artists a ON a.id = p.artist_id`,
    [artistId, minArticles],
  );
  const total = totals.total;
  return rows
    .map((r) => {
      const joint = r.joint / total;
      const pmi = Math.log(joint / ((totals.own / total) * (r.n / total)));
      // P(a,b) = 1: both in every article; NPMI is 1 by its limit.
      const score = joint >= 1 ? 1 : pmi / -Math.log(joint);
      return {
        artist: { id: r.id, name: r.name },
        articles: r.joint,
        pmi,
        score,
        explanation: coMentionExplanation(r.name, r.joint),
      };
    })
    .sort((a, b) => b.score - a.score || b.articles - a.articles || a.artist.id - b.artist.id)
    .slice(0, limit);
}
