import { fft } from "./fft.ts";

/** Mel filterbank settings; the names and defaults follow essentia's MelBands. */
export interface MelBandsOptions {
  numberBands: number;
  sampleRate: number;
  /** FFT frame length in samples (power of two); the spectrum has frameSize/2 + 1 bins. */
  frameSize: number;
  lowFrequencyBound: number;
  highFrequencyBound: number;
  warpingFormula: "htkMel" | "slaneyMel";
  /** "warping": triangles are linear in mel; "linear": linear in Hz. */
  weighting: "warping" | "linear";
  normalise: "unit_sum" | "unit_tri" | "unit_max";
  /** Sum squared magnitudes ("power") or magnitudes. */
  type: "power" | "magnitude";
}

/** Sparse filterbank: band b covers bins start[b] .. start[b] + weights-length. */
export interface MelFilterbank {
  options: MelBandsOptions;
  start: Int32Array;
  offsets: Int32Array; // weights of band b are weights[offsets[b] .. offsets[b + 1])
  weights: Float32Array;
}

// HTK: O'Shaughnessy's mel scale, m = 1127 ln(1 + f / 700).
const htkHzToMel = (hz: number) => 1127 * Math.log(1 + hz / 700);
const htkMelToHz = (mel: number) => 700 * (Math.exp(mel / 1127) - 1);
// Slaney's Auditory Toolbox: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
const SLANEY_STEP = Math.log(6.4) / 27;
const slaneyHzToMel = (hz: number) => (hz < 1000 ? hz / (200 / 3) : 15 + Math.log(hz / 1000) / SLANEY_STEP);
const slaneyMelToHz = (mel: number) => (mel < 15 ? mel * (200 / 3) : 1000 * Math.exp(SLANEY_STEP * (mel - 15)));

/**
 * Builds the triangular filters exactly as essentia's MelBands/TriangularBands do: band edges
 * evenly spaced in mel, and band i covering FFT bins round(f[i] / df) .. round(f[i+2] / df) inclusive,
 * where each bin's weight comes from where its frequency falls in the triangle.
 */
export function melFilterbank(options: MelBandsOptions): MelFilterbank {
  const { numberBands, sampleRate, frameSize, lowFrequencyBound, highFrequencyBound } = options;
  if (!Number.isInteger(numberBands) || numberBands < 1 || numberBands > 512) {
    throw new RangeError(`numberBands must be 1..512, got ${numberBands}`);
  }
  if (!(highFrequencyBound > lowFrequencyBound && lowFrequencyBound >= 0 && highFrequencyBound <= sampleRate / 2)) {
    throw new RangeError(`mel band bounds must satisfy 0 <= low < high <= sampleRate/2 (${sampleRate / 2}), got ${lowFrequencyBound}..${highFrequencyBound}`);
  }
  const toMel = options.warpingFormula === "htkMel" ? htkHzToMel : slaneyHzToMel;
  const toHz = options.warpingFormula === "htkMel" ? htkMelToHz : slaneyMelToHz;
  const scale = options.weighting === "warping" ? toMel : (hz: number) => hz;
  const lowMel = toMel(lowFrequencyBound);
  const stepMel = (toMel(highFrequencyBound) - lowMel) / (numberBands + 1);
  const edges = Float64Array.from({ length: numberBands + 2 }, (_, i) => toHz(lowMel + i * stepMel));
  const bins = frameSize / 2 + 1;
  const binHz = sampleRate / 2 / (bins - 1);
  const start = new Int32Array(numberBands);
  const offsets = new Int32Array(numberBands + 1);
  const weights: number[] = [];
  for (let b = 0; b < numberBands; b++) {
    const [f0, f1, f2] = [edges[b], edges[b + 1], edges[b + 2]];
    const first = Math.trunc(f0 / binHz + 0.5);
    const last = Math.min(bins - 1, Math.trunc(f2 / binHz + 0.5));
    const rise = scale(f1) - scale(f0);
    const fall = scale(f2) - scale(f1);
    const band: number[] = [];
    for (let j = first; j <= last; j++) {
      const hz = j * binHz;
      if (hz >= f0 && hz < f1) band.push((scale(hz) - scale(f0)) / rise);
      else if (hz >= f1 && hz < f2) band.push((scale(f2) - scale(hz)) / fall);
      else band.push(0);
    }
    let norm = 1;
    if (options.normalise === "unit_sum") norm = band.reduce((s, w) => s + w, 0) || 1;
    else if (options.normalise === "unit_tri") norm = (f2 - f0) / 2;
    start[b] = first;
    offsets[b] = weights.length;
    for (const w of band) weights.push(w / norm);
  }
  offsets[numberBands] = weights.length;
  return { options, start, offsets, weights: Float32Array.from(weights) };
}

/** Applies the filterbank to one magnitude spectrum, writing numberBands energies into `out`. */
export function applyMelFilterbank(bank: MelFilterbank, spectrum: Float32Array, out: Float32Array, outOffset = 0): void {
  const power = bank.options.type === "power";
  const bands = bank.start.length;
  for (let b = 0; b < bands; b++) {
    let sum = 0;
    const first = bank.start[b];
    for (let w = bank.offsets[b], j = first; w < bank.offsets[b + 1]; w++, j++) {
      const m = spectrum[j];
      sum += bank.weights[w] * (power ? m * m : m);
    }
    out[outOffset + b] = sum;
  }
}

/**
 * essentia's Windowing("hann", normalised): the symmetric Hann window 0.5 - 0.5 cos(2 pi n /
 * (N - 1)), scaled to sum to 2 so a full-scale sinusoid's spectral peak stays near 1.
 */
export function hannWindow(size: number): Float32Array {
  const window = new Float64Array(size);
  let sum = 0;
  for (let n = 0; n < size; n++) {
    window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (size - 1));
    sum += window[n];
  }
  return Float32Array.from(window, (w) => (2 * w) / sum);
}

/** A spectrogram-like matrix: `frames` rows of `bands` values, row-major. */
export interface MelSpectrogram {
  bands: number;
  frames: number;
  sampleRate: number;
  hopSize: number;
  frameSize: number;
  data: Float32Array;
}

/**
 * Mel band energies of every frame: frame t starts at sample t * hopSize (the last partial
 * frame is zero-padded), is Hann-windowed, and its magnitude spectrum goes through the bank.
 */
export function melBandEnergies(samples: Float32Array, bank: MelFilterbank, hopSize: number): MelSpectrogram {
  const { frameSize, numberBands, sampleRate } = bank.options;
  if (!Number.isInteger(hopSize) || hopSize < 1 || hopSize > frameSize) {
    throw new RangeError(`hopSize must be 1..frameSize (${frameSize}), got ${hopSize}`);
  }
  const frames = samples.length < frameSize ? 1 : 1 + Math.ceil((samples.length - frameSize) / hopSize);
  const data = new Float32Array(frames * numberBands);
  const window = hannWindow(frameSize);
  const re = new Float64Array(frameSize);
  const im = new Float64Array(frameSize);
  const spectrum = new Float32Array(frameSize / 2 + 1);
  for (let t = 0; t < frames; t++) {
    const offset = t * hopSize;
    for (let n = 0; n < frameSize; n++) {
      const i = offset + n;
      re[n] = i < samples.length ? samples[i] * window[n] : 0;
      im[n] = 0;
    }
    fft(re, im);
    for (let k = 0; k <= frameSize / 2; k++) spectrum[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
    applyMelFilterbank(bank, spectrum, data, t * numberBands);
  }
  return { bands: numberBands, frames, sampleRate, hopSize, frameSize, data };
}
