import { gaussian, denseMatrix, type DenseMatrix, type Random } from "../../core/index.ts";
import type { Spectrogram } from "./params.ts";

/** A synthetic catalogue where the audio carries the collaborative vector, for tests and benchmarks. */
export interface SyntheticAudioSet {
  inputs: Spectrogram[];
  /** Item vectors (rows) that the spectrograms encode. */
  targets: DenseMatrix;
  /** The latent "musical" factors behind both, [count][latentDim]. */
  latents: DenseMatrix;
  /** Coarse plain features a linear baseline gets: noisy latent 0 ("tempo") and the sign of latent 1 ("mode"). */
  features: DenseMatrix;
}

export interface SyntheticAudioOptions {
  count: number;
  bands?: number;
  frames?: number;
  targetDim?: number;
  latentDim?: number;
  /** Standard deviation of the background noise in every cell. */
  noise?: number;
  random: Random;
}

/**
 * Each latent factor k owns a group of mel bands and a pulse period. The factor sets how loud
 * the group is (through a sigmoid) and, via its sign, whether the group pulses with its period
 * or holds steady; the phase is random so only time-invariant evidence helps. Item vectors are
 * a fixed random mixing of a nonlinear function of the latents, so the mapping is learnable
 * from the audio but not linear in coarse features.
 */
export function syntheticAudioSet(options: SyntheticAudioOptions): SyntheticAudioSet {
  const { count, random } = options;
  const bands = options.bands ?? 96,
    frames = options.frames ?? 256;
  const targetDim = options.targetDim ?? 64,
    latentDim = options.latentDim ?? 6,
    noise = options.noise ?? 0.3;
  const mixing = Float64Array.from({ length: targetDim * 2 * latentDim }, () => gaussian(random));
  const groupSize = Math.max(1, Math.floor(bands / latentDim));
  const latents = denseMatrix(count, latentDim);
  const targets = denseMatrix(count, targetDim);
  const features = denseMatrix(count, 2);
  const inputs: Spectrogram[] = [];
  for (let i = 0; i < count; i++) {
    const z = Float64Array.from({ length: latentDim }, () => gaussian(random));
    latents.data.set(z, i * latentDim);
    // Nonlinear, zero-mean summary (a loudness-like sigmoid and a pulse-like max(z, 0) minus its
    // mean 1/sqrt(2 pi)), so item vectors share no common direction that rewards popularity.
    const hidden = [...Array.from(z, (v) => 1 / (1 + Math.exp(-2 * v)) - 0.5), ...Array.from(z, (v) => (v > 0 ? v : 0) - 1 / Math.sqrt(2 * Math.PI))];
    for (let j = 0; j < targetDim; j++) {
      let sum = 0;
      for (let h = 0; h < hidden.length; h++) sum += mixing[j * hidden.length + h] * hidden[h];
      targets.data[i * targetDim + j] = sum;
    }
    const data = new Float32Array(bands * frames);
    for (let k = 0; k < latentDim; k++) {
      const amplitude = 2 / (1 + Math.exp(-2 * z[k]));
      const period = 8 + 4 * k;
      const phase = random() * period;
      const pulsing = z[k] > 0;
      for (let b = k * groupSize; b < Math.min(bands, (k + 1) * groupSize); b++) {
        for (let f = 0; f < frames; f++) {
          const pulse = pulsing ? ((f + phase) % period < period / 2 ? 1.6 : 0.4) : 1;
          data[f * bands + b] = amplitude * pulse;
        }
      }
    }
    for (let c = 0; c < data.length; c++) data[c] += noise * gaussian(random);
    features.data[i * 2] = z[0] + 0.5 * gaussian(random);
    features.data[i * 2 + 1] = latentDim > 1 && z[1] > 0 ? 1 : 0;
    inputs.push({ bands, frames, data });
  }
  return { inputs, targets, latents, features };
}
