import { describe, expect, it } from "vitest";
import { bandStats, cropBatch, downsampleFrames, normaliseBands } from "./preprocess.ts";

describe("spectrogram preprocessing", () => {
  it("averages frames in windows, the last holding the remainder, and turns frames x bands into bands x frames", () => {
    // Five frames of two bands (band 0: 1 3 5 7 9, band 1: 0 2 4 6 8), factor 2: windows [0,1], [2,3], [4].
    const data = Float32Array.from([1, 0, 3, 2, 5, 4, 7, 6, 9, 8]);
    expect(Array.from(downsampleFrames({ bands: 2, frames: 5, data }, 2, 0))).toEqual([2, 6, 9, 1, 5, 8]);
    expect(Array.from(downsampleFrames({ bands: 2, frames: 5, data }, 1, 0))).toEqual([1, 3, 5, 7, 9, 0, 2, 4, 6, 8]);
  });

  it("names the bad spectrogram and what is wrong with it", () => {
    expect(() => downsampleFrames({ bands: 2, frames: 5, data: new Float32Array(9) }, 1, 7)).toThrow(
      "spectrogram 7 data must hold bands*frames = 10 values, got 9",
    );
    expect(() => downsampleFrames({ bands: 1, frames: 2, data: Float32Array.from([0, NaN]) }, 1, 3)).toThrow(
      "spectrogram 3 band 0 has a non-finite value near frame 1",
    );
  });

  it("standardises each band with statistics pooled over clips; constant bands become 0", () => {
    const clips = [Float32Array.from([1, 3, 5, 5]), Float32Array.from([5, 7, 5, 5])]; // 2 bands x 2 frames
    const stats = bandStats(clips, 2);
    expect(Array.from(stats.mean)).toEqual([4, 5]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(5), 6);
    expect(stats.std[1]).toBe(1);
    const normalised = normaliseBands(clips[0].slice(), stats);
    expect(normalised[0]).toBeCloseTo(-3 / Math.sqrt(5), 6);
    expect(normalised[2]).toBe(0);
  });

  it("crops each clip at its own start into one batch", () => {
    const a = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]); // 2 bands x 4 frames
    const b = Float32Array.from([20, 21, 22, 23, 30, 31, 32, 33]);
    expect(Array.from(cropBatch([a, b], 2, [1, 2], 2))).toEqual([1, 2, 11, 12, 22, 23, 32, 33]);
  });
});
