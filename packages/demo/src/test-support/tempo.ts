/** A small tempo estimator for tests: spectral-flux onset envelope, its autocorrelation, and a
 * comb of beat multiples scored over a BPM grid (after Ellis 2007, "Beat Tracking by Dynamic
 * Programming", section 3.1, without the log-Gaussian tempo prior). */
import { spectra } from "./fft.ts";

const FRAME = 512;
const HOP = 64;

export function onsetEnvelope(samples: Float32Array): Float64Array {
  const frames = Math.max(0, Math.floor((samples.length - FRAME) / HOP) + 1);
  const envelope = new Float64Array(frames);
  const previous = new Float64Array(FRAME / 2 + 1);
  spectra(samples, FRAME, HOP, (frame, magnitudes) => {
    let flux = 0;
    for (let k = 0; k < magnitudes.length; k++) {
      const logMagnitude = Math.log1p(100 * magnitudes[k]);
      flux += Math.max(0, logMagnitude - previous[k]);
      previous[k] = logMagnitude;
    }
    envelope[frame] = frame > 0 ? flux : 0;
  });
  let mean = 0;
  for (const v of envelope) mean += v / frames;
  return envelope.map((v) => v - mean);
}

/** Estimated BPM within [minBpm, maxBpm], to 0.05 BPM. */
export function estimateTempo(samples: Float32Array, sampleRate: number, minBpm: number, maxBpm: number): number {
  const envelope = onsetEnvelope(samples);
  const framesPerSecond = sampleRate / HOP;
  const maxLag = Math.min(envelope.length - 1, Math.ceil((4 * 60 * framesPerSecond) / minBpm) + 2);
  const acf = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = lag; i < envelope.length; i++) sum += envelope[i] * envelope[i - lag];
    acf[lag] = sum / (envelope.length - lag);
  }
  const at = (lag: number) => {
    const i = Math.floor(lag);
    return i + 1 > maxLag ? 0 : acf[i] + (lag - i) * (acf[i + 1] - acf[i]);
  };
  let best = minBpm;
  let bestScore = -Infinity;
  for (let bpm = minBpm; bpm <= maxBpm; bpm += 0.05) {
    const period = (60 * framesPerSecond) / bpm;
    const score = at(period) + at(2 * period) + at(3 * period) + at(4 * period);
    if (score > bestScore) {
      bestScore = score;
      best = bpm;
    }
  }
  return best;
}
