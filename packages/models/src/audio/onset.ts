import type { MelSpectrogram } from "./mel.ts";

/**
 * Spectral flux per frame: the mean over bands of the positive change in log-mel energy
 * (as in Boeck & Widmer 2013, without their maximum filter).
 */
export function spectralFlux(logMel: MelSpectrogram): Float32Array {
  const { bands, frames, data } = logMel;
  const flux = new Float32Array(frames);
  for (let t = 1; t < frames; t++) {
    let sum = 0;
    const row = t * bands;
    const previous = row - bands;
    for (let b = 0; b < bands; b++) {
      const rise = data[row + b] - data[previous + b];
      if (rise > 0) sum += rise;
    }
    flux[t] = sum / bands;
  }
  return flux;
}

/**
 * Onset strength per frame: spectral flux with its slow trend removed, so that only rises in
 * energy above the local level remain (for beat tracking and onset picking).
 */
export function onsetEnvelope(logMel: MelSpectrogram, flux = spectralFlux(logMel)): Float32Array {
  const frames = flux.length;
  // Subtract a centred moving average of about 0.4 s and keep the positive part.
  const frameRate = logMel.sampleRate / logMel.hopSize;
  const half = Math.max(1, Math.round(0.2 * frameRate));
  const prefix = new Float64Array(frames + 1);
  for (let t = 0; t < frames; t++) prefix[t + 1] = prefix[t] + flux[t];
  const envelope = new Float32Array(frames);
  for (let t = 0; t < frames; t++) {
    const lo = Math.max(0, t - half);
    const hi = Math.min(frames, t + half + 1);
    const trend = (prefix[hi] - prefix[lo]) / (hi - lo);
    envelope[t] = Math.max(0, flux[t] - trend);
  }
  return envelope;
}

/**
 * Onset times in seconds: local maxima of the envelope that stand above its mean plus
 * `threshold` standard deviations, at least `minGap` seconds apart.
 */
export function pickOnsets(envelope: Float32Array, frameRate: number, threshold = 1, minGap = 0.05): Float64Array {
  let mean = 0;
  for (const v of envelope) mean += v;
  mean /= envelope.length || 1;
  let variance = 0;
  for (const v of envelope) variance += (v - mean) ** 2;
  const floor = mean + threshold * Math.sqrt(variance / (envelope.length || 1));
  const gap = Math.max(1, Math.round(minGap * frameRate));
  const onsets: number[] = [];
  let last = -Infinity;
  for (let t = 1; t < envelope.length - 1; t++) {
    const v = envelope[t];
    if (v > floor && v >= envelope[t - 1] && v > envelope[t + 1] && t - last >= gap) {
      onsets.push(t / frameRate);
      last = t;
    }
  }
  return Float64Array.from(onsets);
}
