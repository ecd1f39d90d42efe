import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { fft, magnitudeSpectrum } from "./fft.ts";

describe("fft", () => {
  it("equals a direct DFT, X[k] = sum x[n] e^(-2 pi i k n / N)", () => {
    const random = seededRandom(3);
    for (const n of [2, 8, 64]) {
      const re = Float64Array.from({ length: n }, () => random() - 0.5);
      const im = Float64Array.from({ length: n }, () => random() - 0.5);
      const [xr, xi] = [re.slice(), im.slice()];
      fft(re, im);
      for (let k = 0; k < n; k++) {
        let sr = 0,
          si = 0;
        for (let t = 0; t < n; t++) {
          const angle = (-2 * Math.PI * k * t) / n;
          sr += xr[t] * Math.cos(angle) - xi[t] * Math.sin(angle);
          si += xr[t] * Math.sin(angle) + xi[t] * Math.cos(angle);
        }
        expect(re[k]).toBeCloseTo(sr, 10);
        expect(im[k]).toBeCloseTo(si, 10);
      }
    }
  });

  it("puts a pure tone's energy in its bin, and rejects sizes that are not powers of two", () => {
    const tone = Float64Array.from({ length: 32 }, (_, t) => Math.cos((2 * Math.PI * 5 * t) / 32));
    const spectrum = magnitudeSpectrum(tone);
    expect(spectrum[5]).toBeCloseTo(16, 4);
    expect(Math.max(...spectrum.filter((_, k) => k !== 5))).toBeLessThan(1e-4);
    expect(() => fft(new Float64Array(12), new Float64Array(12))).toThrow("FFT size must be a power of two >= 2, got 12");
  });
});
