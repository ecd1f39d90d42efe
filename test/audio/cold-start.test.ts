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
  });
});
