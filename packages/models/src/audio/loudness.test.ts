import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { freeVectors, loadEssentia } from "./essentia-loader.ts";
import { integratedLoudness, replayGainDb } from "./loudness.ts";

describe("integratedLoudness (ITU-R BS.1770-4)", () => {
  it("reads a full-scale 997 Hz sine in one channel as -3.01 LUFS, and scales in dB", () => {
    // BS.1770-4, section 2.1: this is the calibration signal of the K-weighted measure.
    for (const rate of [48000, 44100, 16000]) {
      const sine = Float32Array.from({ length: rate * 3 }, (_, n) => Math.sin((2 * Math.PI * 997 * n) / rate));
      expect(integratedLoudness(sine, rate)).toBeCloseTo(-3.01, 1);
      expect(
        integratedLoudness(
          sine.map((x) => x * 0.1),
          rate,
        ),
      ).toBeCloseTo(-23.01, 1);
    }
  });

  it("agrees with essentia's LoudnessEBUR128 on a gated mix of noise and silence", () => {
    const rate = 44100;
    const random = seededRandom(3);
    // 4 s of noise, 2 s near silence (below the gates), 3 s of a quieter tone.
    const signal = new Float32Array(rate * 9);
    for (let n = 0; n < signal.length; n++) {
      const t = n / rate;
      signal[n] = t < 4 ? 0.3 * (random() - 0.5) : t < 6 ? 1e-5 * (random() - 0.5) : 0.05 * Math.sin(2 * Math.PI * 220 * t);
    }
    const { essentia } = loadEssentia();
    const left = essentia.arrayToVector(signal);
    const right = essentia.arrayToVector(new Float32Array(signal.length));
    const result = essentia.LoudnessEBUR128(left, right, 0.1, rate, false);
    const theirs = result.integratedLoudness;
    freeVectors(result);
    left.delete();
    right.delete();
    expect(integratedLoudness(signal, rate)).toBeCloseTo(theirs, 1);
  });

  it("gives -Infinity for silence and a ReplayGain 2.0 gain relative to -18 LUFS", () => {
    expect(integratedLoudness(new Float32Array(48000), 48000)).toBe(-Infinity);
    expect(replayGainDb(-23)).toBe(5);
  });
});
