import { evaluateCf } from "./src/eval/cf-eval.ts";
const t = performance.now();
const r = await evaluateCf({ dataset: "lastfm-2k:/work/shared/data/lastfm-2k", models: [process.argv[2]], factors: 64, regularization: 0.05, alpha: 1, confidence: "log1p", iterations: 15, seed: 42, solver: (process.argv[3] ?? "cg") as "cg", threads: 2 });
for (const [k, v] of Object.entries(r)) console.log(k, JSON.stringify(v));
console.log((performance.now() - t) / 1000);
