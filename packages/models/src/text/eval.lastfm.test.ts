import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../datasets/shared-data.ts";
import { evaluateText } from "./eval.ts";
import type { TagRecommenderResult } from "./eval-lastfm.ts";

const lastfm = findSharedDataset("lastfm-2k");

describe("tags-as-documents recommender on lastfm-2k (real data)", () => {
  if (!lastfm.path) it.skip(`skipped: ${lastfm.reason}`, () => {});
  // Bar from the issue: recall@20 >= 0.13 (popularity reaches 0.103) on the CF holdout, seed 42.
  it.skipIf(!lastfm.path)("reaches recall@20 0.13 without the tags of held-out artists", { timeout: 240_000 }, async () => {
    const result = (await evaluateText({ dataset: `lastfm-2k:${lastfm.path}` })) as TagRecommenderResult;
    expect(result.taggings.leftOut).toBeGreaterThan(0);
    expect(result.metrics.users).toBeGreaterThan(1800);
    expect(result.metrics["recall@20"]).toBeGreaterThanOrEqual(0.13);
  });
});
