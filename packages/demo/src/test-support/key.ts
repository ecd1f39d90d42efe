/** A small key estimator for tests: a chroma profile correlated with the Krumhansl-Kessler key
 * profiles (Krumhansl 1990, "Cognitive Foundations of Musical Pitch", table 2.1; the
 * correlation method of Krumhansl & Schmuckler). */
import { spectra } from "./fft.ts";

const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
const NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

export function chroma(samples: Float32Array, sampleRate: number, minHz = 60, maxHz = 2000): Float64Array {
  const frameSize = 4096;
  const profile = new Float64Array(12);
  const pitchClassOfBin = Int32Array.from({ length: frameSize / 2 + 1 }, (_, k) => {
    const hz = (k * sampleRate) / frameSize;
    if (hz < minHz || hz > maxHz) return -1;
    return ((Math.round(12 * Math.log2(hz / 440) + 69) % 12) + 12) % 12;
  });
  spectra(samples, frameSize, frameSize / 2, (_, magnitudes) => {
    for (let k = 0; k < magnitudes.length; k++) if (pitchClassOfBin[k] >= 0) profile[pitchClassOfBin[k]] += magnitudes[k];
  });
  return profile;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < 12; i++) {
    ma += a[i] / 12;
    mb += b[i] / 12;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < 12; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

export function estimateKey(samples: Float32Array, sampleRate: number): { key: string; mode: "major" | "minor"; score: number } {
  const profile = chroma(samples, sampleRate);
  let best = { key: "C", mode: "major" as "major" | "minor", score: -Infinity };
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [mode, template] of [
      ["major", MAJOR_PROFILE],
      ["minor", MINOR_PROFILE],
    ] as const) {
      const rotated = Array.from({ length: 12 }, (_, pc) => template[(pc - tonic + 12) % 12]);
      const score = pearson(profile, rotated);
      if (score > best.score) best = { key: NAMES[tonic], mode, score };
    }
  }
  return best;
}
