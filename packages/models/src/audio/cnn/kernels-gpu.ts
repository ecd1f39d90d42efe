import type { IKernelFunctionThis, IKernelRunShortcut } from "gpu.js";
import { createGpu, kernelMode, type GpuJsMode } from "../../core/backend.ts";
import type { CnnKernels } from "./kernels.ts";

/** Texture sides are capped at 16384 on GL; a 1-D output is laid out in 2-D by gpu.js up to this. */
const MAX_OUTPUT = 16384 * 16384;

type This = IKernelFunctionThis;

// Kernel bodies: one thread per output element of a flat 1-D output, indices decoded from
// this.thread.x. gpu.js compiles them from their source, so they use only arithmetic,
// Math.*, loops and ifs (no closures, no `**`).

function conv1dForward(this: This, x: Float32Array, w: Float32Array, b: Float32Array, cin: number, cout: number, t: number, k: number): number {
  const f = this.thread.x % t;
  const o = Math.floor(this.thread.x / t) % cout;
  const s = Math.floor(this.thread.x / (t * cout));
  const pad = Math.floor((k - 1) / 2);
  let sum = b[o];
  // Taps outer, channels inner: the edge test runs k times per thread, not k * cin.
  for (let j = 0; j < k; j++) {
    const g = f + j - pad;
    if (g >= 0 && g < t) {
      for (let c = 0; c < cin; c++) sum += w[(o * cin + c) * k + j] * x[(s * cin + c) * t + g];
    }
  }
  return sum;
}

function conv1dBackwardInput(this: This, dy: Float32Array, w: Float32Array, cin: number, cout: number, t: number, k: number): number {
  const g = this.thread.x % t;
  const c = Math.floor(this.thread.x / t) % cin;
  const s = Math.floor(this.thread.x / (t * cin));
  const pad = Math.floor((k - 1) / 2);
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const f = g - j + pad;
    if (f >= 0 && f < t) {
      for (let o = 0; o < cout; o++) sum += w[(o * cin + c) * k + j] * dy[(s * cout + o) * t + f];
    }
  }
  return sum;
}

function conv1dBackwardWeights(this: This, x: Float32Array, dy: Float32Array, n: number, cin: number, cout: number, t: number, k: number): number {
  const j = this.thread.x % k;
  const c = Math.floor(this.thread.x / k) % cin;
  const o = Math.floor(this.thread.x / (k * cin));
  const shift = j - Math.floor((k - 1) / 2);
  // Only frames whose window stays inside the clip contribute: no branch in the inner loop.
  const from = Math.max(0, -shift);
  const to = Math.min(t, t - shift);
  let sum = 0;
  for (let s = 0; s < n; s++) {
    const dyOff = (s * cout + o) * t;
    const xOff = (s * cin + c) * t + shift;
    for (let f = from; f < to; f++) sum += dy[dyOff + f] * x[xOff + f];
  }
  return sum;
}

function conv1dBackwardBias(this: This, dy: Float32Array, n: number, cout: number, t: number): number {
  const o = this.thread.x;
  let sum = 0;
  for (let s = 0; s < n; s++) {
    for (let f = 0; f < t; f++) sum += dy[(s * cout + o) * t + f];
  }
  return sum;
}

function relu(this: This, x: Float32Array): number {
  return Math.max(x[this.thread.x], 0);
}

function reluBackward(this: This, y: Float32Array, dy: Float32Array): number {
  let g = 0;
  if (y[this.thread.x] > 0) g = dy[this.thread.x];
  return g;
}

function maxPool(this: This, x: Float32Array, t: number, p: number, tOut: number): number {
  const f = this.thread.x % tOut;
  const r = Math.floor(this.thread.x / tOut);
  const start = r * t + f * p;
  let best = x[start];
  for (let j = 1; j < p; j++) best = Math.max(best, x[start + j]);
  return best;
}

function maxPoolBackward(this: This, x: Float32Array, dy: Float32Array, t: number, p: number, tOut: number): number {
  const g = this.thread.x % t;
  const r = Math.floor(this.thread.x / t);
  const f = Math.floor(g / p);
  let grad = 0;
  if (f < tOut) {
    const start = r * t + f * p;
    let at = 0;
    for (let j = 1; j < p; j++) {
      if (x[start + j] > x[start + at]) at = j;
    }
    if (start + at === this.thread.x) grad = dy[r * tOut + f];
  }
  return grad;
}

function globalPool(this: This, x: Float32Array, c: number, t: number): number {
  const ch = this.thread.x % c;
  const kind = Math.floor(this.thread.x / c) % 3;
  const s = Math.floor(this.thread.x / (3 * c));
  const off = (s * c + ch) * t;
  let sum = 0;
  let squares = 0;
  let best = x[off];
  for (let f = 0; f < t; f++) {
    const v = x[off + f];
    sum += v;
    squares += v * v;
    best = Math.max(best, v);
  }
  let out = sum / t;
  if (kind === 1) out = best;
  if (kind === 2) out = Math.sqrt(squares / t);
  return out;
}

function globalPoolBackward(this: This, x: Float32Array, pooled: Float32Array, dPooled: Float32Array, c: number, t: number): number {
  const g = this.thread.x % t;
  const ch = Math.floor(this.thread.x / t) % c;
  const s = Math.floor(this.thread.x / (t * c));
  const base = s * 3 * c;
  const off = (s * c + ch) * t;
  const v = x[this.thread.x];
  const best = pooled[base + c + ch];
  const rms = pooled[base + 2 * c + ch];
  let grad = dPooled[base + ch] / t;
  if (rms > 0) grad += (dPooled[base + 2 * c + ch] * v) / (t * rms);
  if (v === best) {
    let earlier = 0;
    for (let f = 0; f < t; f++) {
      if (f < g && x[off + f] === best) earlier = 1;
    }
    if (earlier === 0) grad += dPooled[base + c + ch];
  }
  return grad;
}

function dense(this: This, x: Float32Array, w: Float32Array, b: Float32Array, inputs: number, outputs: number): number {
  const o = this.thread.x % outputs;
  const s = Math.floor(this.thread.x / outputs);
  let sum = b[o];
  for (let i = 0; i < inputs; i++) sum += w[o * inputs + i] * x[s * inputs + i];
  return sum;
}

function denseBackwardInput(this: This, dy: Float32Array, w: Float32Array, inputs: number, outputs: number): number {
  const i = this.thread.x % inputs;
  const s = Math.floor(this.thread.x / inputs);
  let sum = 0;
  for (let o = 0; o < outputs; o++) sum += dy[s * outputs + o] * w[o * inputs + i];
  return sum;
}

function denseBackwardWeights(this: This, x: Float32Array, dy: Float32Array, n: number, inputs: number, outputs: number): number {
  const i = this.thread.x % inputs;
  const o = Math.floor(this.thread.x / inputs);
  let sum = 0;
  for (let s = 0; s < n; s++) sum += dy[s * outputs + o] * x[s * inputs + i];
  return sum;
}

function denseBackwardBias(this: This, dy: Float32Array, n: number, outputs: number): number {
  let sum = 0;
  for (let s = 0; s < n; s++) sum += dy[s * outputs + this.thread.x];
  return sum;
}

function squaredErrorRows(this: This, y: Float32Array, target: Float32Array, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const diff = y[this.thread.x * d + i] - target[this.thread.x * d + i];
    sum += diff * diff;
  }
  return sum;
}

function mseGrad(this: This, y: Float32Array, target: Float32Array, total: number): number {
  return (2 * (y[this.thread.x] - target[this.thread.x])) / total;
}

export interface GpuKernelOptions {
  /** gpu.js mode: "gpu" (default) picks a GL device when present, else WebAssembly; "webasm" or "cpu" force one. */
  mode?: GpuJsMode;
}

/** The CnnKernels contract as gpu.js kernels, compiled on first use and resized per call. */
export function createGpuKernels(options: GpuKernelOptions = {}): CnnKernels & { readonly mode: string } {
  const gpu = createGpu(options.mode ?? "gpu");
  // gpu.js takes any kernel function (it parses the source), whatever its parameters.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const compiled = new Map<Function, IKernelRunShortcut>();
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const run = (body: Function, size: number, args: unknown[]): Float32Array => {
    if (size > MAX_OUTPUT) throw new RangeError(`kernel ${body.name} output must be at most ${MAX_OUTPUT} values, got ${size}`);
    if (size === 0) return new Float32Array(0);
    let kernel = compiled.get(body);
    if (!kernel) {
      kernel = gpu.createKernel(body as never, {
        output: [size],
        dynamicOutput: true,
        dynamicArguments: true,
        tactic: "precision",
      });
      compiled.set(body, kernel);
    }
    kernel.setOutput([size]);
    return (kernel as unknown as (...a: unknown[]) => Float32Array)(...args);
  };
  return {
    name: "gpu",
    get mode() {
      // gpu.js settles its real backend when the first kernel runs; the kernel knows which.
      if (compiled.size === 0) run(relu, 1, [new Float32Array(1)]);
      return kernelMode(compiled.values().next().value!, gpu);
    },
    conv1dForward: (x, w, b, n, cin, cout, t, k) => run(conv1dForward, n * cout * t, [x, w, b, cin, cout, t, k]),
    conv1dBackwardInput: (dy, w, n, cin, cout, t, k) => run(conv1dBackwardInput, n * cin * t, [dy, w, cin, cout, t, k]),
    conv1dBackwardWeights: (x, dy, n, cin, cout, t, k) => run(conv1dBackwardWeights, cout * cin * k, [x, dy, n, cin, cout, t, k]),
    conv1dBackwardBias: (dy, n, cout, t) => run(conv1dBackwardBias, cout, [dy, n, cout, t]),
    relu: (x) => run(relu, x.length, [x]),
    reluBackward: (y, dy) => run(reluBackward, dy.length, [y, dy]),
    maxPool: (x, rows, t, p) => run(maxPool, rows * Math.floor(t / p), [x, t, p, Math.floor(t / p)]),
    maxPoolBackward: (x, dy, rows, t, p) => run(maxPoolBackward, rows * t, [x, dy, t, p, Math.floor(t / p)]),
    globalPool: (x, n, c, t) => run(globalPool, n * 3 * c, [x, c, t]),
    globalPoolBackward: (x, pooled, dPooled, n, c, t) => run(globalPoolBackward, n * c * t, [x, pooled, dPooled, c, t]),
    dense: (x, w, b, n, inputs, outputs) => run(dense, n * outputs, [x, w, b, inputs, outputs]),
    denseBackwardInput: (dy, w, n, inputs, outputs) => run(denseBackwardInput, n * inputs, [dy, w, inputs, outputs]),
    denseBackwardWeights: (x, dy, n, inputs, outputs) => run(denseBackwardWeights, outputs * inputs, [x, dy, n, inputs, outputs]),
    denseBackwardBias: (dy, n, outputs) => run(denseBackwardBias, outputs, [dy, n, outputs]),
    squaredErrorRows: (y, target, n, d) => run(squaredErrorRows, n, [y, target, d]),
    mseGrad: (y, target, n, d) => run(mseGrad, n * d, [y, target, n * d]),
    dispose() {
      for (const kernel of compiled.values()) kernel.destroy();
      compiled.clear();
      void gpu.destroy();
    },
  };
}
