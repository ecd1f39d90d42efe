import { checkBackendKind, type BackendKind } from "../../core/backend.ts";
import type { Random } from "../../core/index.ts";

/**
 * A log-mel spectrogram as the analysis step produces it (`MelSpectrogram` from
 * audio/spectrogram.ts fits): `data` is row-major frames x bands, one row of `bands` values per
 * frame, so frame f's band b is `data[f * bands + b]`. The mel bands become the channels of the
 * first 1-D convolution, the frames its time axis (preprocess.ts transposes).
 */
export interface Spectrogram {
  bands: number;
  frames: number;
  data: Float32Array;
}

/** Every knob of the content network, with its default in `DEFAULT_CNN_PARAMS`. */
export interface ContentNetworkParams {
  /** Frames averaged into one before the network: 4 turns 625 frames (10 s at 62.5 frames/s) into 157. */
  timeDownsample: number;
  /** Output channels of each 1-D convolution layer (one entry per layer). */
  convChannels: number[];
  /** Kernel width in (downsampled) frames per conv layer; odd, "same" zero padding. */
  kernelSizes: number[];
  /** Max-pooling width (= stride) after each conv layer; 1 means no pooling. */
  poolSizes: number[];
  /** Hidden dense layer widths after global mean/max/L2 pooling (ReLU after each). */
  denseSizes: number[];
  /** Output size; 0 means "the targets' column count" (the collaborative vector size). */
  outputDim: number;
  /** Training window in downsampled frames (32 = 2 s at 62.5 / 4 frames/s); each epoch takes a random crop. */
  cropFrames: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  /** Epochs without a better validation loss before training stops (best weights kept). */
  patience: number;
  /** Share of the training tracks held out for early stopping. */
  validationShare: number;
  /** L2 weight decay added to the gradient of every weight (not biases). */
  weightDecay: number;
  seed: number;
  /** Injectable random source; defaults to seededRandom(seed). Not saved with the model. */
  random?: Random;
  /** "cpu": the typed-array reference; "gpu": gpu.js; "auto": gpu.js only on a real GPU (core/backend.ts). */
  backend: BackendKind;
}

export const DEFAULT_CNN_PARAMS: Readonly<ContentNetworkParams> = Object.freeze({
  timeDownsample: 4,
  convChannels: [32, 64],
  kernelSizes: [3, 3],
  poolSizes: [2, 2],
  denseSizes: [128],
  outputDim: 0,
  cropFrames: 32,
  learningRate: 0.002,
  batchSize: 32,
  maxEpochs: 40,
  patience: 5,
  validationShare: 0.1,
  weightDecay: 1e-4,
  seed: 42,
  backend: "auto",
});

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer ${min}..${max}, got ${value}`);
  }
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be ${min}..${max}, got ${value}`);
  }
}

/** Fills defaults and validates; throws a RangeError naming the first bad parameter. */
export function resolveParams(partial: Partial<ContentNetworkParams> = {}): ContentNetworkParams {
  const p: ContentNetworkParams = {
    ...DEFAULT_CNN_PARAMS,
    convChannels: [...DEFAULT_CNN_PARAMS.convChannels],
    kernelSizes: [...DEFAULT_CNN_PARAMS.kernelSizes],
    poolSizes: [...DEFAULT_CNN_PARAMS.poolSizes],
    denseSizes: [...DEFAULT_CNN_PARAMS.denseSizes],
    ...partial,
  };
  checkInt("timeDownsample", p.timeDownsample, 1, 64);
  const layers = p.convChannels.length;
  checkInt("convChannels.length", layers, 1, 8);
  if (p.kernelSizes.length !== layers || p.poolSizes.length !== layers) {
    throw new RangeError(`kernelSizes and poolSizes need one entry per conv layer (${layers}), got ${p.kernelSizes.length} and ${p.poolSizes.length}`);
  }
  p.convChannels.forEach((c, i) => checkInt(`convChannels[${i}]`, c, 1, 1024));
  p.kernelSizes.forEach((k, i) => {
    checkInt(`kernelSizes[${i}]`, k, 1, 63);
    if (k % 2 === 0) throw new RangeError(`kernelSizes[${i}] must be odd for "same" padding, got ${k}`);
  });
  p.poolSizes.forEach((s, i) => checkInt(`poolSizes[${i}]`, s, 1, 64));
  checkInt("denseSizes.length", p.denseSizes.length, 0, 8);
  p.denseSizes.forEach((d, i) => checkInt(`denseSizes[${i}]`, d, 1, 4096));
  checkInt("outputDim", p.outputDim, 0, 4096);
  checkInt("cropFrames", p.cropFrames, minimumFrames(p), 100000);
  checkRange("learningRate", p.learningRate, 1e-7, 1);
  checkInt("batchSize", p.batchSize, 1, 4096);
  checkInt("maxEpochs", p.maxEpochs, 1, 100000);
  checkInt("patience", p.patience, 1, 100000);
  checkRange("validationShare", p.validationShare, 0, 0.9);
  checkRange("weightDecay", p.weightDecay, 0, 1);
  if (!Number.isFinite(p.seed)) throw new RangeError(`seed must be a finite number, got ${p.seed}`);
  checkBackendKind(p.backend);
  return p;
}

/** Fewest downsampled frames a clip needs so every pooling layer keeps at least one frame. */
export function minimumFrames(p: Pick<ContentNetworkParams, "poolSizes">): number {
  return p.poolSizes.reduce((product, s) => product * s, 1);
}
