import { describe, expect, it } from "vitest";
import { evaluateDemoBlend } from "@deepcuts/engine/eval/demo-blend.ts";

describe("the weekly blend on a demo world's held-out listening", () => {
  it("beats collaborative filtering alone, with audio doing its part, and puts brand-new tracks before listeners whose taste they fit", async () => {
    const r = await evaluateDemoBlend({
      seed: 11,
      listeners: 500,
      artists: 40,
      tracks: 400,
      events: 50_000,
      maxEpochs: 25,
      threads: 1,
      grid: { text: [0, 0.5], audio: [0, 0.5], popularity: [0, 0.5] },
    });
    expect(r.tracksNewToCollaborative).toBeGreaterThan(20);
    expect(r.brandNewTracks).toBeGreaterThan(0);
    const { collaborativeAlone, blendWithoutAudio, blend } = r.test;
    expect(collaborativeAlone.listeners).toBeGreaterThan(400);
    expect(blend.recall).toBeGreaterThan(collaborativeAlone.recall * 1.2);
    expect(blend.recall).toBeGreaterThan(blendWithoutAudio.recall);
    // Tracks the collaborative model never saw played: out of its reach, within the audio model's.
    expect(collaborativeAlone.recallNewToCollaborative).toBe(0);
    expect(blend.recallNewToCollaborative).toBeGreaterThan(0.1);
    // Brand-new releases reach listeners, and mostly ones whose main genres they belong to.
    expect(r.brandNew.appearances).toBeGreaterThan(50);
    expect(r.brandNew.meanTasteFit).toBeGreaterThan(1.5 * r.brandNew.randomTasteFit);
    expect(r.brandNew.mainGenreShare).toBeGreaterThan(r.brandNew.randomMainGenreShare + 0.15);
  });
});
