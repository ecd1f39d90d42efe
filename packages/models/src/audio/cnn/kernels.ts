/**
 * The operations the content network is built from, as one interface that the CPU reference
 * (kernels-cpu.ts) and the gpu.js kernels (kernels-gpu.ts) both implement with the same
 * signatures. Tensors are flat row-major Float32Arrays:
 * - activations `[n][c][t]` (clip, channel, frame), the spectrogram layout with a batch axis;
 * - conv weights `[cout][cin][k]`, dense weights `[out][in]`.
 * Convolutions use "same" zero padding (k odd, pad = (k - 1) / 2), so length is kept.
 * Ties in max pooling send the gradient to the first maximum in the window.
 */
export interface CnnKernels {
  readonly name: "cpu" | "gpu";
  /** y[n][o][t] = b[o] + sum_c sum_j w[o][c][j] x[n][c][t + j - pad] */
  conv1dForward(x: Float32Array, w: Float32Array, b: Float32Array, n: number, cin: number, cout: number, t: number, k: number): Float32Array;
  /** dx[n][c][t] = sum_o sum_j w[o][c][j] dy[n][o][t - j + pad] */
  conv1dBackwardInput(dy: Float32Array, w: Float32Array, n: number, cin: number, cout: number, t: number, k: number): Float32Array;
  /** dw[o][c][j] = sum_n sum_t dy[n][o][t] x[n][c][t + j - pad] */
  conv1dBackwardWeights(x: Float32Array, dy: Float32Array, n: number, cin: number, cout: number, t: number, k: number): Float32Array;
  /** db[o] = sum_n sum_t dy[n][o][t] */
  conv1dBackwardBias(dy: Float32Array, n: number, cout: number, t: number): Float32Array;
  relu(x: Float32Array): Float32Array;
  /** dx = dy where the ReLU output y is positive, else 0. */
  reluBackward(y: Float32Array, dy: Float32Array): Float32Array;
  /** Max over non-overlapping windows of p frames per row (rows = n * c); a remainder < p is dropped. */
  maxPool(x: Float32Array, rows: number, t: number, p: number): Float32Array;
  maxPoolBackward(x: Float32Array, dy: Float32Array, rows: number, t: number, p: number): Float32Array;
  /** [n][3c]: per channel the mean, the max and the root mean square over all t frames. */
  globalPool(x: Float32Array, n: number, c: number, t: number): Float32Array;
  globalPoolBackward(x: Float32Array, pooled: Float32Array, dPooled: Float32Array, n: number, c: number, t: number): Float32Array;
  /** y[n][o] = b[o] + sum_i w[o][i] x[n][i] */
  dense(x: Float32Array, w: Float32Array, b: Float32Array, n: number, inputs: number, outputs: number): Float32Array;
  denseBackwardInput(dy: Float32Array, w: Float32Array, n: number, inputs: number, outputs: number): Float32Array;
  denseBackwardWeights(x: Float32Array, dy: Float32Array, n: number, inputs: number, outputs: number): Float32Array;
  denseBackwardBias(dy: Float32Array, n: number, outputs: number): Float32Array;
  /** Per-row sum of squared errors, [n]; the MSE loss is their sum over n * d. */
  squaredErrorRows(y: Float32Array, target: Float32Array, n: number, d: number): Float32Array;
  /** Gradient of mean squared error over all n * d values: 2 (y - target) / (n d). */
  mseGrad(y: Float32Array, target: Float32Array, n: number, d: number): Float32Array;
  /** Frees compiled kernels (gpu.js); a no-op on the CPU. */
  dispose(): void;
}
