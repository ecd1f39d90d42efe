import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../datasets/shared-data.ts";
import { evaluateCf } from "./cf-eval.ts";

const lastfm = findSharedDataset("lastfm-2k");
const lines = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n");

// The protocol and bars: 64 factors, lambda 0.05, log1p with alpha 1, 15 iterations,
// seed 42. A reference ALS gets recall@20 0.269 and nDCG@10 0.222; popularity gets 0.103.
describe("evaluateCf on Last.fm 2K", () => {
  it.skipIf(!lastfm.path)(`meets the ALS quality bars and writes the split and factors ${lastfm.reason}`, async () => {
    const out = mkdtempSync(join(tmpdir(), "cf-eval-"));
    const progress: number[] = [];
    const result = await evaluateCf({
      dataset: `lastfm-2k:${lastfm.path}`,
      models: ["als"],
      factors: 64,
      regularization: 0.05,
      alpha: 1,
      confidence: "log1p",
      iterations: 15,
      solver: "cg",
      seed: 42,
      threads: 2,
      splitOut: join(out, "split"),
      factorsOut: join(out, "factors"),
      onProgress: (_message, done) => progress.push(done),
    });
    expect(Object.keys(result).sort()).toEqual(["als", "popularity"]);
    const als = result.als,
      popularity = result.popularity;
    expect(als["recall@20"]).toBeGreaterThanOrEqual(0.269);
    expect(als["ndcg@10"]).toBeGreaterThanOrEqual(0.222);
    expect(als.users).toBe(1884); // users with at least 2 artists
    // The popularity baseline reproduces the reference figure on the same protocol.
    expect(popularity["recall@20"]).toBeGreaterThan(0.095);
    expect(popularity["recall@20"]).toBeLessThan(0.111);
    expect(als.coverage).toBeGreaterThan(popularity.coverage);
    expect(progress.at(-1)).toBe(18); // 15 ALS iterations + popularity fit, one evaluation step each

    const test = lines(join(out, "split", "test.csv"));
    const train = lines(join(out, "split", "train.csv"));
    expect(train.length - 1 + test.length - 1).toBe(92834);
    expect(lines(join(out, "split", "users.csv")).length).toBe(1893);
    expect(lines(join(out, "factors", "items.csv"))[1]).toMatch(/^0,\d+$/);
    const itemFactors = lines(join(out, "factors", "als.item_factors.csv"));
    expect(itemFactors.length).toBe(17633);
    expect(itemFactors[0].split(",").length).toBe(65);
  });
});
