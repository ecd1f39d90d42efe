import { CancelledError, ModelFitError, NotFittedError, denseMatrix, seededRandom, shuffle, type DenseMatrix, type Random } from "../../core/index.ts";
import { Adam } from "./adam.ts";
import { createCnnKernels } from "./backend.ts";
import type { CnnKernels } from "./kernels.ts";
import { backward, forward, initParameters, mseLoss, type NetworkShape, type ParameterTensor } from "./network.ts";
import { minimumFrames, resolveParams, type ContentNetworkParams, type Spectrogram } from "./params.ts";
import { bandStats, cropBatch, downsampleFrames, normaliseBands, type BandStats } from "./preprocess.ts";
import { l2NormaliseRows } from "./normalise.ts";
import { CorruptModelError, decodeModel, encodeModel } from "./serialize.ts";

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  /** NaN when validationShare is 0. */
  valLoss: number;
}

export interface ContentNetworkFitOptions {
  /** Called after every epoch (1-based) with the mean training and the validation MSE. */
  onEpoch?: (epoch: number, trainLoss: number, valLoss: number) => void;
  /** Checked before every mini-batch; aborting throws CancelledError and leaves the model as it was. */
  signal?: AbortSignal;
}

interface SavedHeader {
  params: Omit<ContentNetworkParams, "random">;
  shape: NetworkShape;
  tensorNames: string[];
  lossHistory: EpochRecord[];
  bestEpoch: number;
  baselineValLoss: number;
}

interface Trained {
  shape: NetworkShape;
  weights: ParameterTensor[];
  stats: BandStats;
}

/** A window of one clip: which frames go through the network. */
interface Window {
  clip: number;
  start: number;
  length: number;
}

/**
 * Predicts a track's collaborative (item-factor) vector from its log-mel spectrogram, so a
 * track nobody has played yet still gets a place in the collaborative space (van den Oord,
 * Dieleman & Schrauwen 2013, "Deep content-based music recommendation"). Architecture and
 * defaults: params.ts and docs/audio-network.md.
 */
export class ContentNetwork {
  readonly params: ContentNetworkParams;
  /** One record per finished epoch of the last fit (or as saved). */
  lossHistory: EpochRecord[] = [];
  /** Epoch whose weights were kept (lowest validation loss); 0 before fit. */
  bestEpoch = 0;
  /** Validation MSE of predicting the mean training target for every track: the bar to beat. */
  baselineValLoss = Number.NaN;
  private trained: Trained | null = null;
  private kernelsInstance: CnnKernels | null = null;

  constructor(params: Partial<ContentNetworkParams> = {}) {
    this.params = resolveParams(params);
  }

  get isFitted(): boolean {
    return this.trained !== null;
  }

  /** Output size (the collaborative vector size); 0 before fit. */
  get outputDim(): number {
    return this.trained?.shape.outputDim ?? 0;
  }

  /** Name of the kernels in use ("cpu" or "gpu"), creating them if needed. */
  get backendName(): string {
    return this.kernels.name;
  }

  private get kernels(): CnnKernels {
    this.kernelsInstance ??= createCnnKernels(this.params.backend);
    return this.kernelsInstance;
  }

  /**
   * Trains on spectrograms and their tracks' item vectors (rows of `targets`, L2-normalised
   * here). Asynchronous only so that it yields between mini-batches: progress output and an
   * AbortSignal fired by a timer or SIGINT get their turn.
   */
  async fit(inputs: Spectrogram[], targets: DenseMatrix, options: ContentNetworkFitOptions = {}): Promise<this> {
    const p = this.params;
    if (inputs.length !== targets.rows) throw new RangeError(`inputs (${inputs.length}) and targets rows (${targets.rows}) must match`);
    if (inputs.length < 2) throw new RangeError(`fit needs at least 2 spectrograms, got ${inputs.length}`);
    if (p.outputDim !== 0 && p.outputDim !== targets.cols) {
      throw new RangeError(`outputDim is ${p.outputDim} but targets have ${targets.cols} columns`);
    }
    const random: Random = p.random ?? seededRandom(p.seed);
    const bands = inputs[0].bands;
    const clips = this.prepare(inputs, bands, null);
    const target = l2NormaliseRows(targets).data;
    const d = targets.cols;

    const order = Array.from({ length: inputs.length }, (_, i) => i);
    shuffle(order, random);
    const validationCount = Math.min(inputs.length - 1, Math.round(p.validationShare * inputs.length));
    const validation = order.slice(0, validationCount);
    const training = order.slice(validationCount);

    const stats = bandStats(
      training.map((i) => clips[i]),
      bands,
    );
    for (const clip of clips) normaliseBands(clip, stats);
    const framesOf = (i: number) => clips[i].length / bands;
    const cropLength = training.reduce((shortest, i) => Math.min(shortest, framesOf(i)), p.cropFrames);

    const shape: NetworkShape = {
      bands,
      convChannels: [...p.convChannels],
      kernelSizes: [...p.kernelSizes],
      poolSizes: [...p.poolSizes],
      denseSizes: [...p.denseSizes],
      outputDim: d,
    };
    const weights = initParameters(shape, random);
    const adam = new Adam(weights, p.learningRate, p.weightDecay);
    const kernels = this.kernels;

    // Validation always sees the same centred window, so its loss is comparable across epochs.
    const validationWindows = validation.map((clip) => {
      const length = Math.min(cropLength, framesOf(clip));
      return { clip, start: Math.floor((framesOf(clip) - length) / 2), length };
    });
    const meanTarget = new Float64Array(d);
    for (const i of training) for (let j = 0; j < d; j++) meanTarget[j] += target[i * d + j] / training.length;
    const baseline = validation.length
      ? validation.reduce((sum, i) => sum + meanTarget.reduce((s, m, j) => s + (target[i * d + j] - m) ** 2, 0), 0) / (validation.length * d)
      : Number.NaN;

    const history: EpochRecord[] = [];
    let best = { loss: Infinity, epoch: 0, weights: weights.map((w) => w.data.slice()) };
    for (let epoch = 1; epoch <= p.maxEpochs; epoch++) {
      shuffle(training, random);
      let lossSum = 0;
      for (let from = 0; from < training.length; from += p.batchSize) {
        if (options.signal?.aborted) throw new CancelledError("content network training");
        const batch = training.slice(from, from + p.batchSize);
        const starts = batch.map((i) => Math.floor(random() * (framesOf(i) - cropLength + 1)));
        const x = cropBatch(
          batch.map((i) => clips[i]),
          bands,
          starts,
          cropLength,
        );
        const y = gatherRows(target, batch, d);
        const cache = forward(kernels, shape, weights, x, batch.length, cropLength);
        const loss = mseLoss(kernels, cache.output, y, batch.length, d);
        if (!Number.isFinite(loss)) throw new ModelFitError(`training loss became ${loss} in epoch ${epoch} at batch ${from / p.batchSize}`);
        lossSum += loss * batch.length;
        const grads = backward(kernels, shape, weights, cache, kernels.mseGrad(cache.output, y, batch.length, d));
        adam.update(grads);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const trainLoss = lossSum / training.length;
      const valLoss = validation.length ? this.windowLoss(kernels, shape, weights, clips, validationWindows, target, d) : Number.NaN;
      history.push({ epoch, trainLoss, valLoss });
      options.onEpoch?.(epoch, trainLoss, valLoss);
      const score = validation.length ? valLoss : trainLoss;
      if (score < best.loss) best = { loss: score, epoch, weights: weights.map((w) => w.data.slice()) };
      else if (validation.length && epoch - best.epoch >= p.patience) break;
    }
    weights.forEach((w, i) => w.data.set(best.weights[i]));
    this.trained = { shape, weights, stats };
    this.lossHistory = history;
    this.bestEpoch = best.epoch;
    this.baselineValLoss = baseline;
    return this;
  }

  /** Audio-predicted collaborative vectors, one L2-normalised row per spectrogram (whole clip, any length). */
  predict(inputs: Spectrogram[]): DenseMatrix {
    const trained = this.requireTrained();
    const { shape } = trained;
    const clips = this.prepare(inputs, shape.bands, trained.stats);
    const windows = clips.map((clip, i) => ({ clip: i, start: 0, length: clip.length / shape.bands }));
    const out = denseMatrix(inputs.length, shape.outputDim);
    this.runWindows(this.kernels, shape, trained.weights, clips, windows, (batch, output) => {
      batch.forEach((w, s) => out.data.set(output.subarray(s * shape.outputDim, (s + 1) * shape.outputDim), w.clip * shape.outputDim));
    });
    return l2NormaliseRows(out);
  }

  save(): Uint8Array {
    const trained = this.requireTrained();
    const { random: _random, ...params } = this.params;
    const header: SavedHeader = {
      params,
      shape: trained.shape,
      tensorNames: trained.weights.map((w) => w.name),
      lossHistory: this.lossHistory,
      bestEpoch: this.bestEpoch,
      baselineValLoss: this.baselineValLoss,
    };
    return encodeModel(header, [trained.stats.mean, trained.stats.std, ...trained.weights.map((w) => w.data)]);
  }

  /** Reads `save()` output; `overrides` may pick another backend for inference. */
  static load(bytes: Uint8Array, overrides: Partial<Pick<ContentNetworkParams, "backend">> = {}): ContentNetwork {
    const { header, arrays } = decodeModel<SavedHeader>(bytes);
    if (!header || !header.shape || !header.params || !Array.isArray(header.tensorNames)) {
      throw new CorruptModelError("header lacks params, shape or tensorNames");
    }
    const network = new ContentNetwork({ ...header.params, ...overrides });
    const shape = header.shape;
    const same = (a: unknown, b: number[]) => Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
    const p = network.params;
    if (
      !same(shape.convChannels, p.convChannels) ||
      !same(shape.kernelSizes, p.kernelSizes) ||
      !same(shape.poolSizes, p.poolSizes) ||
      !same(shape.denseSizes, p.denseSizes) ||
      !Number.isInteger(shape.bands) ||
      shape.bands < 1 ||
      !Number.isInteger(shape.outputDim) ||
      shape.outputDim < 1
    ) {
      throw new CorruptModelError(`layer shape ${JSON.stringify(shape)} does not match the saved parameters`);
    }
    const expected = initParameters(shape, () => 0.5);
    if (arrays.length !== expected.length + 2) {
      throw new CorruptModelError(`expected ${expected.length + 2} arrays for this shape, got ${arrays.length}`);
    }
    const [mean, std, ...tensors] = arrays;
    if (mean.length !== shape.bands || std.length !== shape.bands) {
      throw new CorruptModelError(`band statistics have ${mean.length}/${std.length} values for ${shape.bands} bands`);
    }
    expected.forEach((tensor, i) => {
      if (tensors[i].length !== tensor.data.length) {
        throw new CorruptModelError(`${tensor.name} has ${tensors[i].length} values, shape needs ${tensor.data.length}`);
      }
      tensor.data = tensors[i];
    });
    network.trained = { shape, weights: expected, stats: { mean, std } };
    network.lossHistory = header.lossHistory ?? [];
    network.bestEpoch = header.bestEpoch ?? 0;
    network.baselineValLoss = header.baselineValLoss ?? Number.NaN;
    return network;
  }

  /** Releases compiled gpu.js kernels. The model stays usable (kernels are rebuilt on demand). */
  dispose(): void {
    this.kernelsInstance?.dispose();
    this.kernelsInstance = null;
  }

  private requireTrained(): Trained {
    if (!this.trained) throw new NotFittedError("ContentNetwork");
    return this.trained;
  }

  /** Downsamples (and, given statistics, standardises) every clip, checking bands and length. */
  private prepare(inputs: Spectrogram[], bands: number, stats: BandStats | null): Float32Array[] {
    const needed = minimumFrames(this.params);
    return inputs.map((spectrogram, i) => {
      if (spectrogram.bands !== bands) throw new RangeError(`spectrogram ${i} has ${spectrogram.bands} bands, expected ${bands}`);
      const clip = downsampleFrames(spectrogram, this.params.timeDownsample, i);
      const frames = clip.length / bands;
      if (frames < needed) {
        throw new RangeError(
          `spectrogram ${i} has ${spectrogram.frames} frames (${frames} after downsampling by ${this.params.timeDownsample}), the pooling layers need at least ${needed}`,
        );
      }
      return stats ? normaliseBands(clip, stats) : clip;
    });
  }

  /** Mean squared error over the validation windows. */
  private windowLoss(
    kernels: CnnKernels,
    shape: NetworkShape,
    weights: ParameterTensor[],
    clips: Float32Array[],
    windows: Window[],
    target: Float32Array,
    d: number,
  ): number {
    let sum = 0;
    this.runWindows(kernels, shape, weights, clips, windows, (batch, output) => {
      sum +=
        mseLoss(
          kernels,
          output,
          gatherRows(
            target,
            batch.map((w) => w.clip),
            d,
          ),
          batch.length,
          d,
        ) * batch.length;
    });
    return sum / windows.length;
  }

  /** Forward passes in batches of equal-length windows (lengths differ only between groups). */
  private runWindows(
    kernels: CnnKernels,
    shape: NetworkShape,
    weights: ParameterTensor[],
    clips: Float32Array[],
    windows: Window[],
    take: (batch: Window[], output: Float32Array) => void,
  ): void {
    const byLength = new Map<number, Window[]>();
    for (const w of windows) {
      const group = byLength.get(w.length);
      if (group) group.push(w);
      else byLength.set(w.length, [w]);
    }
    for (const [length, group] of byLength) {
      for (let from = 0; from < group.length; from += this.params.batchSize) {
        const batch = group.slice(from, from + this.params.batchSize);
        const x = cropBatch(
          batch.map((w) => clips[w.clip]),
          shape.bands,
          batch.map((w) => w.start),
          length,
        );
        take(batch, forward(kernels, shape, weights, x, batch.length, length).output);
      }
    }
  }
}

function gatherRows(data: Float32Array, rows: number[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, s) => out.set(data.subarray(r * d, (r + 1) * d), s * d));
  return out;
}
