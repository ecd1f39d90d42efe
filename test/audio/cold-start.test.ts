import { describe, expect, it } from "vitest";
import { evaluateColdStart } from "@deepcuts/engine/eval/cold-start.ts";

describe("audio cold start on a demo world", () => {
  it("ranks the real listeners of tracks held out of collaborative training from their audio alone", async () => {
    const result = await evaluateColdStart({ seed: 11, listeners: 500, artists: 40, tracks: 400, events: 50_000, maxEpochs: 25, threads: 1 });
    expect(result.heldOutTracks).toBeGreaterThan(20);
    expect(result.auc.random).toBeGreaterThan(0.35);
    expect(result.auc.random).toBeLessThan(0.65);
    expect(result.auc.network).toBeGreaterThanOrEqual(0.85);
    expect(result.auc.network).toBeGreaterThan(result.auc.linearOnTrueFeatures + 0.03);
    // Audio similarity as served (whitened): top-10 scores spread instead of all tying near 1, and
    // neighbours share the query's genre far more often than chance.
    const { raw, served } = result.neighbours;
    expect(raw.scoreQuantiles.p10).toBeGreaterThan(0.9);
    expect(served.scoreQuantiles.p90 - served.scoreQuantiles.p10).toBeGreaterThan(0.1);
    expect(served.meanTopKRange).toBeGreaterThan(3 * raw.meanTopKRange);
    expect(served.labelAgreement).toBeGreaterThan(3 * served.randomAgreement);
  });
});
