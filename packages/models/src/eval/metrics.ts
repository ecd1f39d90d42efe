/**
 * Ranking metrics for top-k recommendation with binary relevance. Every per-user figure
 * averages over users that have at least one held-out item.
 */
export interface RankingMetrics {
  "precision@10": number;
  "recall@10": number;
  "precision@20": number;
  "recall@20": number;
  "ndcg@10": number;
  "ndcg@20": number;
  "map@10": number;
  "map@20": number;
  /** Share of the catalogue that appears in at least one user's top 10. */
  coverage: number;
  /** Users that were evaluated (had held-out items). */
  users: number;
}

export interface UserRanking {
  /** Recommended item indices, best first (at least 20 wanted; fewer count as misses). */
  ranked: ArrayLike<number>;
  /** Held-out relevant item indices. */
  relevant: ArrayLike<number>;
}

/** Precision, recall (denominator min(k, |relevant|)), nDCG and average precision at k for one user. */
export function userMetricsAt(ranked: ArrayLike<number>, relevant: ArrayLike<number>, k: number) {
  const relevantSet = new Set<number>(Array.from(relevant));
  const denominator = Math.min(k, relevantSet.size);
  let hits = 0,
    dcg = 0,
    apSum = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) {
    if (relevantSet.has(ranked[i])) {
      hits++;
      dcg += 1 / Math.log2(i + 2);
      apSum += hits / (i + 1);
    }
  }
  let idcg = 0;
  for (let i = 0; i < denominator; i++) idcg += 1 / Math.log2(i + 2);
  return {
    precision: hits / k,
    recall: denominator ? hits / denominator : 0,
    ndcg: idcg ? dcg / idcg : 0,
    ap: denominator ? apSum / denominator : 0,
  };
}

/** Averages the per-user metrics at 10 and 20, and the catalogue coverage of the top 10. */
export function rankingMetrics(rankings: UserRanking[], catalogueSize: number): RankingMetrics {
  const sums = { p10: 0, r10: 0, p20: 0, r20: 0, n10: 0, n20: 0, m10: 0, m20: 0 };
  const covered = new Set<number>();
  let users = 0;
  for (const { ranked, relevant } of rankings) {
    if (relevant.length === 0) continue;
    users++;
    const at10 = userMetricsAt(ranked, relevant, 10);
    const at20 = userMetricsAt(ranked, relevant, 20);
    sums.p10 += at10.precision;
    sums.r10 += at10.recall;
    sums.n10 += at10.ndcg;
    sums.m10 += at10.ap;
    sums.p20 += at20.precision;
    sums.r20 += at20.recall;
    sums.n20 += at20.ndcg;
    sums.m20 += at20.ap;
    for (let i = 0; i < Math.min(10, ranked.length); i++) covered.add(ranked[i]);
  }
  const mean = (x: number) => (users ? x / users : 0);
  return {
    "precision@10": mean(sums.p10),
    "recall@10": mean(sums.r10),
    "precision@20": mean(sums.p20),
    "recall@20": mean(sums.r20),
    "ndcg@10": mean(sums.n10),
    "ndcg@20": mean(sums.n20),
    "map@10": mean(sums.m10),
    "map@20": mean(sums.m20),
    coverage: catalogueSize ? covered.size / catalogueSize : 0,
    users,
  };
}
