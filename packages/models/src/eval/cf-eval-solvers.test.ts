import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../datasets/shared-data.ts";
import { evaluateCf } from "./cf-eval.ts";

const lastfm = findSharedDataset("lastfm-2k");

// Exact Cholesky is several times the work of CG, so this file holds only the solver comparison.
describe("ALS solvers on Last.fm 2K", () => {
  // The timeout allows for a shared CPU; alone on 2 cores the file takes far less (see docs/cf.md).
  it.skipIf(!lastfm.path)(`CG and Cholesky agree within 1% and both meet the bars ${lastfm.reason}`, { timeout: 400_000 }, async () => {
    const run = (solver: "cg" | "cholesky") =>
      evaluateCf({
        dataset: `lastfm-2k:${lastfm.path}`,
        models: ["als"],
        factors: 64,
        regularization: 0.05,
        alpha: 1,
        confidence: "log1p",
        iterations: 15,
        solver,
        seed: 42,
        threads: 2,
      });
    const cg = (await run("cg")).als,
      exact = (await run("cholesky")).als;
    for (const key of ["recall@20", "ndcg@10"] as const) {
      expect(Math.abs(cg[key] - exact[key]) / exact[key], key).toBeLessThan(0.01);
      expect(exact[key]).toBeGreaterThanOrEqual(key === "recall@20" ? 0.269 : 0.222);
    }
  });
});
