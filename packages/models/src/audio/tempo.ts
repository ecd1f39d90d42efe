import { fft } from "./fft.ts";

/** Tempo search range in BPM; the estimate is always inside it. */
export const MIN_BPM = 40;
export const MAX_BPM = 250;

/** Settings of the octave choice (`chooseOctave`). */
export interface OctaveSettings {
  /** Lowest prior centre, BPM. */
  minCentreBpm: number;
  /** Density centre densityBpm * onsetRate^densityExponent (BPM); 0 turns it off. */
  densityBpm: number;
  densityExponent: number;
  /** Standard deviation of the log-normal prior, in octaves. */
  priorOctaves: number;
  /** Weight of the eighth- and sixteenth-note autocorrelation in the pulse salience. */
  subdivisionWeight: number;
  /** Score multiplier of the estimator's own octave (1: no preference). */
  estimateWeight: number;
}

/**
 * Octave prior: log-normal over BPM with a standard deviation of one octave (the shape of
 * librosa's tempo prior), centred at 150 BPM, or higher for dense music: 45 r^0.75 BPM for r
 * detected onsets per second, once that exceeds 150 (above about 5 onsets/s). Listeners hear
 * busier music as faster (Moelants & McKinney 2004; Elowsson & Friberg 2015): a drum and bass
 * break at 170 BPM with sixteenth-note hats is heard at 170, although its snare period fits 85
 * as well. Centre, width and slope were chosen on labels.csv, on synthetic loops and click tracks
 * and on the demo world's clips (docs/audio.md).
 *
 * `evaluateAudioFeatures` with `validationSeeds` searches a grid around these settings on folds
 * of a labels.csv and reports the held-out accuracy of the setting each fold chose.
 */
export const DEFAULT_OCTAVE_SETTINGS: Readonly<OctaveSettings> = {
  minCentreBpm: 150,
  densityBpm: 45,
  densityExponent: 0.75,
  priorOctaves: 1,
  subdivisionWeight: 0.25,
  estimateWeight: 1,
};

/** Centre of the octave prior (BPM) for music with `onsetRate` detected onsets per second. */
export function priorCentre(onsetRate: number, settings: Readonly<OctaveSettings> = DEFAULT_OCTAVE_SETTINGS): number {
  return Math.max(settings.minCentreBpm, settings.densityBpm * Math.max(0, onsetRate) ** settings.densityExponent);
}

const BINOMIAL = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** Normalised autocorrelation of the onset envelope (mean removed), lags 0..maxLag frames. */
export function envelopeAutocorrelation(envelope: Float32Array, maxLag: number): Float64Array {
  const n = envelope.length;
  let mean = 0;
  for (const v of envelope) mean += v;
  mean /= n || 1;
  let size = 2;
  while (size < 2 * n) size *= 2;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  // Smoothing with a 5-tap binomial kernel [1 4 6 4 1]/16 spreads one-frame impulses (clicks,
  // drums), so a period that is not a whole number of frames still gives one clear peak.
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = -2; j <= 2; j++) sum += BINOMIAL[j + 2] * (envelope[Math.min(n - 1, Math.max(0, i + j))] - mean);
    re[i] = sum;
  }
  // Wiener-Khinchin: the autocorrelation is the inverse DFT of the power spectrum; the power
  // spectrum is real and even, so a forward transform gives the same result up to 1/size.
  fft(re, im);
  for (let k = 0; k < size; k++) {
    re[k] = re[k] * re[k] + im[k] * im[k];
    im[k] = 0;
  }
  fft(re, im);
  const lags = Math.min(maxLag, n - 1);
  const acf = new Float64Array(maxLag + 1);
  const zero = re[0] / n;
  if (!(zero > 0)) return acf;
  for (let lag = 0; lag <= lags; lag++) acf[lag] = re[lag] / (n - lag) / zero; // unbiased, 1 at lag 0
  return acf;
}

/** Linear interpolation of `acf` at a fractional lag; 0 beyond its end. */
function acfAt(acf: Float64Array, lag: number): number {
  const i = Math.floor(lag);
  if (i + 1 >= acf.length) return 0;
  const f = lag - i;
  return acf[i] * (1 - f) + acf[i + 1] * f;
}

/**
 * How strongly the envelope pulses at `bpm`: its autocorrelation at the beat period plus a
 * `subdivisionWeight` (a quarter by default) of that at half and at a quarter of the period (the
 * eighth- and sixteenth-note subdivisions). The sixteenth term tells a backbeat at 85 BPM with
 * sixteenth-note hats from a kick and snare alternating on every beat at 170 BPM with eighth-note
 * hats.
 */
export function pulseSalience(acf: Float64Array, frameRate: number, bpm: number, subdivisionWeight = DEFAULT_OCTAVE_SETTINGS.subdivisionWeight): number {
  const period = (60 * frameRate) / bpm;
  return peakNear(acf, period) + subdivisionWeight * peakNear(acf, period / 2) + subdivisionWeight * peakNear(acf, period / 4);
}

/**
 * Largest autocorrelation within 3% of `lag` (at least one frame either side), at least 0: a
 * period that is not a whole number of frames splits its peak between neighbouring lags.
 */
function peakNear(acf: Float64Array, lag: number): number {
  const reach = Math.max(1, 0.03 * lag);
  let best = 0;
  for (let l = Math.max(1, Math.floor(lag - reach)); l <= Math.ceil(lag + reach) && l < acf.length; l++) best = Math.max(best, acf[l]);
  return best;
}

/**
 * Refines a tempo to within 1.5% of `bpm` (about the resolution of the estimators) by the comb of its first four period multiples in the
 * autocorrelation: the fourth multiple resolves the period four times finer than one frame.
 */
export function refineTempo(bpm: number, acf: Float64Array, frameRate: number): number {
  let best = bpm;
  let bestScore = -Infinity;
  for (let candidate = bpm * 0.985; candidate <= bpm * 1.015; candidate *= 1.0005) {
    const period = (60 * frameRate) / candidate;
    let score = 0;
    for (let k = 1; k <= 4; k++) score += acfAt(acf, k * period);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

function octavePrior(bpm: number, centre: number, octaves: number): number {
  return Math.exp(-0.5 * (Math.log2(bpm / centre) / octaves) ** 2);
}

/**
 * Picks the metrical level of a tempo estimate: among `bpm` x 1/2, 1, 2 inside the search range,
 * the one whose pulse salience times the octave prior (centred by `onsetRate`, onsets per second)
 * is highest (`settings`: the product's by default). Octave errors are the usual failure of tempo
 * estimators (Percival & Tzanetakis 2014, section IV).
 */
export function chooseOctave(
  bpm: number,
  acf: Float64Array,
  frameRate: number,
  onsetRate = 0,
  settings: Readonly<OctaveSettings> = DEFAULT_OCTAVE_SETTINGS,
): number {
  const centre = priorCentre(onsetRate, settings);
  let best = Math.min(MAX_BPM, Math.max(MIN_BPM, bpm));
  let bestScore = -Infinity;
  for (const factor of [0.5, 1, 2]) {
    const candidate = bpm * factor;
    if (candidate < MIN_BPM || candidate > MAX_BPM) continue;
    const score =
      pulseSalience(acf, frameRate, candidate, settings.subdivisionWeight) *
      octavePrior(candidate, centre, settings.priorOctaves) *
      (factor === 1 ? settings.estimateWeight : 1);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/**
 * Tempo confidence in [0, 1]: the envelope's normalised autocorrelation at the beat period
 * (near 1 for a steady click, near 0 when nothing repeats).
 */
export function tempoConfidence(acf: Float64Array, frameRate: number, bpm: number): number {
  return Math.min(1, peakNear(acf, (60 * frameRate) / bpm));
}

/**
 * Beat times (seconds) by dynamic programming (Ellis 2007, "Beat tracking by dynamic
 * programming", eq. 2-3): each beat maximises onset strength plus the best previous beat's
 * score minus tightness * log(interval / period)^2.
 */
export function trackBeats(envelope: Float32Array, frameRate: number, bpm: number, tightness = 100): Float64Array {
  const n = envelope.length;
  const period = (60 * frameRate) / bpm;
  if (n < 2 || !(period >= 1)) return new Float64Array(0);
  let std = 0;
  let mean = 0;
  for (const v of envelope) mean += v;
  mean /= n;
  for (const v of envelope) std += (v - mean) ** 2;
  std = Math.sqrt(std / n) || 1;
  const score = new Float64Array(n);
  const from = new Int32Array(n).fill(-1);
  const low = Math.max(1, Math.round(period / 2));
  const high = Math.round(2 * period);
  for (let t = 0; t < n; t++) {
    const local = envelope[t] / std;
    let best = 0;
    let bestFrom = -1;
    for (let gap = low; gap <= high && gap <= t; gap++) {
      const candidate = score[t - gap] - tightness * Math.log(gap / period) ** 2;
      if (bestFrom < 0 || candidate > best) {
        best = candidate;
        bestFrom = t - gap;
      }
    }
    score[t] = local + (bestFrom >= 0 ? Math.max(0, best) : 0);
    from[t] = bestFrom >= 0 && best > 0 ? bestFrom : -1;
  }
  // End on the best-scoring frame within the last period, then follow the back-pointers.
  let end = n - 1;
  for (let t = Math.max(0, n - Math.round(period)); t < n; t++) if (score[t] > score[end]) end = t;
  const beats: number[] = [];
  for (let t = end; t >= 0; t = from[t]) beats.push(t / frameRate);
  return Float64Array.from(beats.reverse());
}
