import { evaluateTagRecommender } from "./packages/models/src/text/eval-lastfm.ts";
for (const k of (process.env.K ?? "50").split(",")) {
  const t = performance.now();
  const r = await evaluateTagRecommender({ folder: "/work/shared/data/lastfm-2k", seed: 42, neighbours: +k, model: JSON.parse(process.env.OPT ?? "{}") });
  console.log(k, JSON.stringify(r), ((performance.now() - t) / 1000).toFixed(1), "s");
}
