import { describe, expect, it } from "vitest";
import { chooseOctave, DEFAULT_OCTAVE_SETTINGS } from "./tempo.ts";
import { crossValidateGrid, DEFAULT_KEY_SETTING, KEY_GRID, OCTAVE_GRID } from "./validation.ts";

describe("cross-validation of audio settings", () => {
  it("puts the product's settings first in each grid, each grid entry once", () => {
    expect(OCTAVE_GRID[0]).toEqual({ onsetFunction: "flux", settings: DEFAULT_OCTAVE_SETTINGS });
    expect(KEY_GRID[0]).toEqual(DEFAULT_KEY_SETTING);
    expect(new Set(OCTAVE_GRID.map((c) => JSON.stringify(c))).size).toBe(OCTAVE_GRID.length);
    expect(new Set(KEY_GRID.map((c) => JSON.stringify(c))).size).toBe(KEY_GRID.length);
  });

  it("gives chooseOctave's default answer when passed the default settings explicitly", () => {
    // An autocorrelation with peaks every 40 frames (93.75 BPM at 62.5 frames/s) and weaker ones every 20.
    const acf = new Float64Array(400);
    for (let lag = 20; lag < 400; lag += 20) acf[lag] = lag % 40 === 0 ? 0.8 : 0.3;
    for (const onsetRate of [2, 4, 8])
      expect(chooseOctave(93.75, acf, 62.5, onsetRate, { ...DEFAULT_OCTAVE_SETTINGS })).toBe(chooseOctave(93.75, acf, 62.5, onsetRate));
    expect(chooseOctave(93.75, acf, 62.5, 2, { ...DEFAULT_OCTAVE_SETTINGS, estimateWeight: 100 })).toBe(93.75);
  });

  it("chooses on one fold and scores on the other, keeping the product's setting on ties", () => {
    const n = 10;
    // Setting 1 is right on every file, the product (0) on half of them, setting 2 never.
    const better = [Array.from({ length: n }, (_, i) => i % 2), Array(n).fill(1), Array(n).fill(0)];
    const v = crossValidateGrid(["product", "better", "worse"], better, [42, 7]);
    expect(v.productAllFiles).toBe(5);
    expect(v.bestAllFiles).toEqual({ setting: "better", score: 10 });
    for (const split of v.splits) {
      expect(split.chosen).toEqual(["better", "better"]);
      expect(split.heldOut).toBe(10);
      expect(split.heldOutProduct).toBe(5);
      expect(split.folds.map((f) => f.files)).toEqual([5, 5]);
      expect(split.heldOutSecond).toBeNull();
    }
    // The tie-breaking score decides between entries equal on the first, and is reported held out.
    const first = [Array(n).fill(0), Array(n).fill(1), Array(n).fill(1)];
    const second = [Array(n).fill(0), Array(n).fill(0), Array(n).fill(1)];
    const broken = crossValidateGrid(["product", "a", "b"], first, [42], second).splits[0];
    expect(broken.chosen).toEqual(["b", "b"]);
    expect(broken.heldOutSecond).toBe(10);
    expect(v.leaveOneOut).toEqual({ heldOut: 10, heldOutProduct: 5, changedChoice: 10 });

    // A setting that only ties the product is never chosen; one right on a single file wins only
    // where that file is in the choosing fold, and then loses it on the held-out fold.
    const tie = [Array(n).fill(1), Array(n).fill(1)];
    expect(crossValidateGrid(["product", "same"], tie, [42]).splits[0].chosen).toEqual(["product", "product"]);
    const lucky = [Array(n).fill(0), Array.from({ length: n }, (_, i) => (i === 3 ? 1 : 0))];
    const l = crossValidateGrid(["product", "lucky"], lucky, [42]);
    expect(l.splits[0].heldOut).toBe(0);
    expect(l.leaveOneOut).toEqual({ heldOut: 0, heldOutProduct: 0, changedChoice: n - 1 });
  });
});
