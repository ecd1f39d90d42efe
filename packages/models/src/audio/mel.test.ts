import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { loadEssentia } from "./essentia-loader.ts";
import { magnitudeSpectrum } from "./fft.ts";
import { applyMelFilterbank, hannWindow, melFilterbank, type MelBandsOptions } from "./mel.ts";

const { essentia } = loadEssentia();

function randomFrame(size: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  // Noise plus a few partials, so bands differ by orders of magnitude as in music.
  return Float32Array.from({ length: size }, (_, n) => 0.3 * (random() - 0.5) + 0.5 * Math.sin(n * 0.071) + 0.2 * Math.sin(n * 0.9 + 1));
}

/** essentia's Windowing -> Spectrum -> MelBands chain for one frame. */
function essentiaMel(frame: Float32Array, o: MelBandsOptions): { bands: Float32Array; spectrum: Float32Array } {
  const input = essentia.arrayToVector(frame);
  const windowed = essentia.Windowing(input, true, frame.length, "hann", 0, true).frame;
  const spectrum = essentia.Spectrum(windowed, frame.length).spectrum;
  const bands = essentia.MelBands(
    spectrum,
    o.highFrequencyBound,
    o.frameSize / 2 + 1,
    false,
    o.lowFrequencyBound,
    o.normalise,
    o.numberBands,
    o.sampleRate,
    o.type,
    o.warpingFormula,
    o.weighting,
  ).bands;
  const result = { bands: essentia.vectorToArray(bands), spectrum: essentia.vectorToArray(spectrum) };
  for (const v of [input, windowed, spectrum, bands]) v.delete();
  return result;
}

const configs: MelBandsOptions[] = [
  {
    numberBands: 96,
    sampleRate: 16000,
    frameSize: 512,
    lowFrequencyBound: 0,
    highFrequencyBound: 8000,
    warpingFormula: "slaneyMel",
    weighting: "linear",
    normalise: "unit_tri",
    type: "magnitude",
  },
  {
    numberBands: 96,
    sampleRate: 16000,
    frameSize: 512,
    lowFrequencyBound: 0,
    highFrequencyBound: 8000,
    warpingFormula: "htkMel",
    weighting: "warping",
    normalise: "unit_sum",
    type: "power",
  },
  {
    numberBands: 40,
    sampleRate: 44100,
    frameSize: 2048,
    lowFrequencyBound: 30,
    highFrequencyBound: 11000,
    warpingFormula: "htkMel",
    weighting: "linear",
    normalise: "unit_max",
    type: "power",
  },
];

describe("mel filterbank against essentia's MelBands", () => {
  it("matches essentia's Hann window and magnitude spectrum", () => {
    const frame = randomFrame(512, 1);
    const window = hannWindow(512);
    const ours = magnitudeSpectrum(frame.map((x, n) => x * window[n]));
    const theirs = essentiaMel(frame, configs[0]).spectrum;
    for (let k = 0; k < ours.length; k++) expect(ours[k]).toBeCloseTo(theirs[k], 4);
  });

  for (const [i, config] of configs.entries()) {
    it(`matches to float32 rounding: ${config.numberBands} bands, ${config.sampleRate} Hz, ${config.warpingFormula}/${config.weighting}/${config.normalise}/${config.type}`, () => {
      const frame = randomFrame(config.frameSize, 10 + i);
      const window = hannWindow(config.frameSize);
      const spectrum = magnitudeSpectrum(frame.map((x, n) => x * window[n]));
      const bank = melFilterbank(config);
      const ours = new Float32Array(config.numberBands);
      applyMelFilterbank(bank, spectrum, ours);
      const theirs = essentiaMel(frame, config).bands;
      expect(ours.length).toBe(theirs.length);
      // essentia's float32 FFT leaves rounding noise relative to the frame's loudest band.
      const peak = Math.max(...theirs);
      let nonZero = 0;
      for (let b = 0; b < ours.length; b++) {
        expect(Math.abs(ours[b] - theirs[b])).toBeLessThanOrEqual(5e-4 * Math.abs(theirs[b]) + 1e-6 * peak);
        if (theirs[b] > 0) nonZero++;
      }
      expect(nonZero).toBeGreaterThan(config.numberBands / 2);
    });
  }

  it("rejects bands above Nyquist", () => {
    expect(() => melFilterbank({ ...configs[0], highFrequencyBound: 9000 })).toThrow("<= sampleRate/2 (8000), got 0..9000");
  });
});
