import { readLastfm2k, lastfmPlayMatrix } from "./src/datasets/lastfm2k.ts";
import { holdoutSplit } from "./src/eval/split.ts";
import { rankingMetrics } from "./src/eval/metrics.ts";
import { ImplicitAls } from "./src/cf/als.ts";
const data = await readLastfm2k("/work/shared/data/lastfm-2k");
const { userItems } = lastfmPlayMatrix(data);
const split = holdoutSplit(userItems, { seed: 42 });
for (const solver of ["cg", "cholesky"] as const) for (const threads of [1, 2]) {
  const t = performance.now();
  const m = new ImplicitAls({ solver, threads, seed: 42 });
  await m.fit(split.train);
  const fitS = (performance.now() - t) / 1000;
  const users = Int32Array.from({ length: userItems.rows }, (_, i) => i);
  const rec = m.recommend(users, split.train, { n: 20 });
  const rankings = Array.from(users, (u) => ({ ranked: rec.ids.subarray(u * 20, u * 20 + 20), relevant: split.test[u] }));
  const r = rankingMetrics(rankings, userItems.cols);
  console.log(solver, threads, fitS.toFixed(2), r["recall@20"].toFixed(4), r["ndcg@10"].toFixed(4), r["precision@10"].toFixed(4), m.userFactors.data[5]);
}
