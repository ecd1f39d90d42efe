import { describe, expect, it } from "vitest";
import { resample } from "./resample.ts";

function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * sampleRate) }, (_, n) => amplitude * Math.sin((2 * Math.PI * frequency * n) / sampleRate));
}

/** RMS over the middle half, away from the filter's edge effects. */
function rms(x: Float32Array): number {
  let sum = 0;
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / (to - from));
}

describe("resample", () => {
  it("keeps a 1 kHz tone's level and frequency from 44.1 to 16 kHz", () => {
    const out = resample(sine(1000, 44100, 1), 44100, 16000);
    expect(out.length).toBe(16000);
    expect(rms(out)).toBeCloseTo(0.5 / Math.SQRT2, 3);
    // Compare with a tone generated directly at 16 kHz: same samples to within -60 dB.
    const direct = sine(1000, 16000, 1);
    let error = 0;
    for (let i = 4000; i < 12000; i++) error = Math.max(error, Math.abs(out[i] - direct[i]));
    expect(error).toBeLessThan(5e-4);
  });

  it("removes content above the new Nyquist frequency instead of aliasing it", () => {
    // 10 kHz would alias to 6 kHz at 16 kHz; the filter must attenuate it by more than 60 dB.
    const out = resample(sine(10000, 44100, 1), 44100, 16000);
    expect(rms(out)).toBeLessThan((0.5 / Math.SQRT2) * 1e-3);
  });

  it("upsamples 11025 Hz to 16 kHz without changing a 440 Hz tone", () => {
    const out = resample(sine(440, 11025, 1), 11025, 16000);
    const direct = sine(440, 16000, 1);
    expect(out.length).toBe(15999);
    let error = 0;
    for (let i = 4000; i < 12000; i++) error = Math.max(error, Math.abs(out[i] - direct[i]));
    expect(error).toBeLessThan(5e-4);
  });

  it("returns a copy at the same rate and rejects bad rates", () => {
    const x = sine(100, 8000, 0.1);
    const same = resample(x, 8000, 8000);
    expect(same).toEqual(x);
    expect(same).not.toBe(x);
    expect(() => resample(x, 8000, 0)).toThrow("toRate must be an integer 1000..384000 Hz, got 0");
    expect(() => resample(x, 44100.5, 16000)).toThrow("fromRate must be an integer 1000..384000 Hz, got 44100.5");
  });
});
