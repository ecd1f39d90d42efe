import { gaussian, type Random } from "../../core/index.ts";
import type { CnnKernels } from "./kernels.ts";

/** The layer sizes of one network; everything needed to rebuild it besides the weights. */
export interface NetworkShape {
  bands: number;
  convChannels: number[];
  kernelSizes: number[];
  poolSizes: number[];
  denseSizes: number[];
  outputDim: number;
}

/** One trainable tensor: conv weights [cout][cin][k], dense weights [out][in], or a bias. */
export interface ParameterTensor {
  name: string;
  /** Biases get no weight decay. */
  isBias: boolean;
  data: Float32Array;
}

/** Activations kept from the forward pass for the backward pass. */
export interface ForwardCache {
  n: number;
  /** Input to each conv layer and its frame count. */
  convInputs: Float32Array[];
  convFrames: number[];
  /** ReLU output of each conv layer (before pooling). */
  convActivations: Float32Array[];
  /** Frame count entering global pooling, the pooled input and its [n][3c] summary. */
  pooledFrames: number;
  poolInput: Float32Array;
  pooled: Float32Array;
  /** Input to each dense layer (the last is the linear output layer), and hidden ReLU outputs. */
  denseInputs: Float32Array[];
  output: Float32Array;
}

/** Parameters in a fixed order: per conv layer weights then bias, then per dense layer (output last). */
export function initParameters(shape: NetworkShape, random: Random): ParameterTensor[] {
  const tensors: ParameterTensor[] = [];
  let channels = shape.bands;
  shape.convChannels.forEach((cout, l) => {
    const k = shape.kernelSizes[l];
    tensors.push({ name: `conv${l}.weight`, isBias: false, data: heNormal(cout * channels * k, channels * k, random) });
    tensors.push({ name: `conv${l}.bias`, isBias: true, data: new Float32Array(cout) });
    channels = cout;
  });
  let width = 3 * channels;
  [...shape.denseSizes, shape.outputDim].forEach((out, l) => {
    const isOutput = l === shape.denseSizes.length;
    const name = isOutput ? "output" : `dense${l}`;
    // ReLU layers get He's 2/fan-in variance; the linear output layer 1/(fan-in * out), so each
    // output starts near the 1/sqrt(out) size of a unit-norm target's coordinate.
    const data = heNormal(out * width, width, random, isOutput ? 1 / out : 2);
    tensors.push({ name: `${name}.weight`, isBias: false, data });
    tensors.push({ name: `${name}.bias`, isBias: true, data: new Float32Array(out) });
    width = out;
  });
  return tensors;
}

// He et al. 2015, "Delving Deep into Rectifiers", eq. 10: std = sqrt(2 / fan_in).
function heNormal(size: number, fanIn: number, random: Random, gain = 2): Float32Array {
  const std = Math.sqrt(gain / fanIn);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = gaussian(random) * std;
  return data;
}

/** Frame count after every pooling layer for an input of `frames` frames. */
export function framesAfterPooling(shape: NetworkShape, frames: number): number {
  return shape.poolSizes.reduce((t, p) => Math.floor(t / p), frames);
}

/** Runs a batch `x` of n clips laid out [n][bands][t] through the network. */
export function forward(kernels: CnnKernels, shape: NetworkShape, params: ParameterTensor[], x: Float32Array, n: number, t: number): ForwardCache {
  const convInputs: Float32Array[] = [];
  const convFrames: number[] = [];
  const convActivations: Float32Array[] = [];
  let current = x,
    channels = shape.bands,
    frames = t,
    at = 0;
  shape.convChannels.forEach((cout, l) => {
    const k = shape.kernelSizes[l],
      p = shape.poolSizes[l];
    convInputs.push(current);
    convFrames.push(frames);
    const z = kernels.conv1dForward(current, params[at].data, params[at + 1].data, n, channels, cout, frames, k);
    const a = kernels.relu(z);
    convActivations.push(a);
    current = p > 1 ? kernels.maxPool(a, n * cout, frames, p) : a;
    frames = Math.floor(frames / p);
    channels = cout;
    at += 2;
  });
  const pooled = kernels.globalPool(current, n, channels, frames);
  const denseInputs: Float32Array[] = [];
  let hidden = pooled,
    width = 3 * channels;
  const outs = [...shape.denseSizes, shape.outputDim];
  outs.forEach((out, l) => {
    denseInputs.push(hidden);
    const z = kernels.dense(hidden, params[at].data, params[at + 1].data, n, width, out);
    hidden = l < outs.length - 1 ? kernels.relu(z) : z;
    width = out;
    at += 2;
  });
  return { n, convInputs, convFrames, convActivations, pooledFrames: frames, poolInput: current, pooled, denseInputs, output: hidden };
}

/**
 * Gradients of the loss with respect to every parameter, in `params` order, given dLoss/dOutput.
 * The input spectrogram's gradient is never needed, so the first conv layer skips it.
 */
export function backward(kernels: CnnKernels, shape: NetworkShape, params: ParameterTensor[], cache: ForwardCache, dOutput: Float32Array): Float32Array[] {
  const grads = new Array<Float32Array>(params.length);
  const n = cache.n;
  const outs = [...shape.denseSizes, shape.outputDim];
  const lastChannels = shape.convChannels[shape.convChannels.length - 1];
  let at = params.length - 2;
  let dHidden = dOutput;
  for (let l = outs.length - 1; l >= 0; l--) {
    const input = cache.denseInputs[l];
    const inWidth = l === 0 ? 3 * lastChannels : outs[l - 1];
    grads[at] = kernels.denseBackwardWeights(input, dHidden, n, inWidth, outs[l]);
    grads[at + 1] = kernels.denseBackwardBias(dHidden, n, outs[l]);
    const dInput = kernels.denseBackwardInput(dHidden, params[at].data, n, inWidth, outs[l]);
    // Hidden dense inputs are ReLU outputs; the first dense input is the pooled summary.
    dHidden = l > 0 ? kernels.reluBackward(input, dInput) : dInput;
    at -= 2;
  }
  let dCurrent = kernels.globalPoolBackward(cache.poolInput, cache.pooled, dHidden, n, lastChannels, cache.pooledFrames);
  for (let l = shape.convChannels.length - 1; l >= 0; l--) {
    const cout = shape.convChannels[l],
      cin = l === 0 ? shape.bands : shape.convChannels[l - 1];
    const k = shape.kernelSizes[l],
      p = shape.poolSizes[l],
      frames = cache.convFrames[l];
    const activation = cache.convActivations[l];
    const dActivation = p > 1 ? kernels.maxPoolBackward(activation, dCurrent, n * cout, frames, p) : dCurrent;
    const dz = kernels.reluBackward(activation, dActivation);
    grads[at] = kernels.conv1dBackwardWeights(cache.convInputs[l], dz, n, cin, cout, frames, k);
    grads[at + 1] = kernels.conv1dBackwardBias(dz, n, cout, frames);
    if (l > 0) dCurrent = kernels.conv1dBackwardInput(dz, params[at].data, n, cin, cout, frames, k);
    at -= 2;
  }
  return grads;
}

/** Mean squared error over all n * d values of a batch, accumulated in float64. */
export function mseLoss(kernels: CnnKernels, output: Float32Array, target: Float32Array, n: number, d: number): number {
  const rows = kernels.squaredErrorRows(output, target, n, d);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += rows[i];
  return sum / (n * d);
}
