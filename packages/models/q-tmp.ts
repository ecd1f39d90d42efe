import { readLastfm2k, lastfmPlayMatrix } from "./src/datasets/lastfm2k.ts";
import { holdoutSplit } from "./src/eval/split.ts";
import { evaluateModelOnSplit } from "./src/eval/evaluate-model.ts";
import { ImplicitAls } from "./src/cf/als.ts";
const data = await readLastfm2k("/work/shared/data/lastfm-2k");
const { userItems } = lastfmPlayMatrix(data);
const split = holdoutSplit(userItems, { seed: 42 });
for (const simd of [true, false]) for (const threads of [1, 2]) {
  const t = performance.now();
  const m = new ImplicitAls({ threads, seed: 42, simd });
  await m.fit(split.train);
  const fitS = (performance.now() - t) / 1000;
  const r = evaluateModelOnSplit(m, split);
  console.log(simd, threads, fitS.toFixed(2), r["recall@20"].toFixed(4), r["ndcg@10"].toFixed(4), r["precision@10"].toFixed(4), m.userFactors.data[5]);
}
