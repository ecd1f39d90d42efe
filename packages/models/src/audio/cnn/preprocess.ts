import type { Spectrogram } from "./params.ts";

/**
 * Averages every `factor` consecutive frames into one (the last window may be shorter), so an
 * epoch stays in seconds on 2 cores, and transposes the frames x bands input into the
 * channel-major [bands][ceil(frames / factor)] layout the convolutions read.
 */
export function downsampleFrames(spectrogram: Spectrogram, factor: number, index: number): Float32Array {
  const { bands, frames, data } = spectrogram;
  if (!Number.isInteger(bands) || bands < 1 || !Number.isInteger(frames) || frames < 1) {
    throw new RangeError(`spectrogram ${index} must have positive integer bands and frames, got ${bands} x ${frames}`);
  }
  if (data.length !== bands * frames) {
    throw new RangeError(`spectrogram ${index} data must hold bands*frames = ${bands * frames} values, got ${data.length}`);
  }
  const outFrames = Math.ceil(frames / factor);
  const out = new Float32Array(bands * outFrames);
  for (let b = 0; b < bands; b++) {
    for (let f = 0; f < outFrames; f++) {
      const start = f * factor,
        end = Math.min(frames, (f + 1) * factor);
      let sum = 0;
      for (let i = start; i < end; i++) sum += data[i * bands + b];
      const value = sum / (end - start);
      if (!Number.isFinite(value)) throw new RangeError(`spectrogram ${index} band ${b} has a non-finite value near frame ${f * factor}`);
      out[b * outFrames + f] = value;
    }
  }
  return out;
}

/** Per-band mean and standard deviation over every frame of the training clips. */
export interface BandStats {
  mean: Float32Array;
  std: Float32Array;
}

export function bandStats(clips: Float32Array[], bands: number): BandStats {
  const sum = new Float64Array(bands),
    squares = new Float64Array(bands),
    count = new Float64Array(bands);
  for (const clip of clips) {
    const frames = clip.length / bands;
    for (let b = 0; b < bands; b++) {
      for (let i = b * frames; i < (b + 1) * frames; i++) {
        sum[b] += clip[i];
        squares[b] += clip[i] * clip[i];
      }
      count[b] += frames;
    }
  }
  const mean = new Float32Array(bands),
    std = new Float32Array(bands);
  for (let b = 0; b < bands; b++) {
    mean[b] = sum[b] / count[b];
    const variance = squares[b] / count[b] - (sum[b] / count[b]) ** 2;
    // A constant band carries no information; scale 1 keeps it at 0 instead of dividing by 0.
    std[b] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean, std };
}

/** Standardises a [bands][frames] clip in place with training statistics. */
export function normaliseBands(clip: Float32Array, stats: BandStats): Float32Array {
  const bands = stats.mean.length,
    frames = clip.length / bands;
  for (let b = 0; b < bands; b++) {
    const mean = stats.mean[b],
      scale = 1 / stats.std[b];
    for (let i = b * frames; i < (b + 1) * frames; i++) clip[i] = (clip[i] - mean) * scale;
  }
  return clip;
}

/** Copies frames [start, start + length) of each clip into one [n][bands][length] batch. */
export function cropBatch(clips: Float32Array[], bands: number, starts: number[], length: number): Float32Array {
  const batch = new Float32Array(clips.length * bands * length);
  clips.forEach((clip, s) => {
    const frames = clip.length / bands;
    for (let b = 0; b < bands; b++) {
      const from = b * frames + starts[s];
      batch.set(clip.subarray(from, from + length), (s * bands + b) * length);
    }
  });
  return batch;
}
