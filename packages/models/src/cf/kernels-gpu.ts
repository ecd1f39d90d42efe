import type { IKernelFunctionThis, IKernelRunShortcut } from "gpu.js";
import { createGpu, type GpuJs, type GpuJsMode } from "../core/backend.ts";
import type { CfKernels, CgProductBatch } from "./kernels.ts";

// Kernel bodies are plain functions: gpu.js parses their source, so they use only arithmetic,
// loops and indexing (floats throughout; integer arguments arrive as exact float32 values).
function gramBody(this: IKernelFunctionThis, y: Float32Array, m: number, k: number): number {
  const a = Math.floor(this.thread.x / k);
  const b = this.thread.x - a * k;
  let s = 0;
  for (let r = 0; r < m; r++) s += y[r * k + a] * y[r * k + b];
  return s;
}

function cgProductBody(
  this: IKernelFunctionThis,
  p: Float32Array,
  g: Float32Array,
  y: Float32Array,
  indptr: Float32Array,
  indices: Float32Array,
  conf: Float32Array,
  k: number,
): number {
  const u = Math.floor(this.thread.x / k);
  const j = this.thread.x - u * k;
  let s = 0;
  for (let b = 0; b < k; b++) s += g[j * k + b] * p[u * k + b];
  const end = indptr[u + 1];
  for (let q = indptr[u]; q < end; q++) {
    const yi = indices[q] * k;
    let t = 0;
    for (let b = 0; b < k; b++) t += y[yi + b] * p[u * k + b];
    s += (conf[q] - 1) * t * y[yi + j];
  }
  return s;
}

function scoreBody(this: IKernelFunctionThis, x: Float32Array, y: Float32Array, bias: Float32Array, m: number, k: number): number {
  const u = Math.floor(this.thread.x / m);
  const i = this.thread.x - u * m;
  let s = bias[i];
  for (let b = 0; b < k; b++) s += x[u * k + b] * y[i * k + b];
  return s;
}

/**
 * The same kernels compiled by gpu.js: on a machine with a GPU they run as shaders, elsewhere as
 * gpu.js's WebAssembly ("webasm") or plain-JS ("cpu") fallback. Outputs are 1-D so large results
 * stay within texture limits.
 */
export class GpuKernels implements CfKernels {
  readonly mode: string;
  private readonly gpu: GpuJs;
  private readonly gramKernel: IKernelRunShortcut;
  private readonly cgKernel: IKernelRunShortcut;
  private readonly scoreKernel: IKernelRunShortcut;

  constructor(mode?: GpuJsMode) {
    this.gpu = createGpu(mode);
    const settings = { output: [1], dynamicOutput: true, dynamicArguments: true, tactic: "precision" as const, loopMaxIterations: 1 << 30 };
    this.gramKernel = this.gpu.createKernel(gramBody, settings);
    this.cgKernel = this.gpu.createKernel(cgProductBody, settings);
    this.scoreKernel = this.gpu.createKernel(scoreBody, settings);
    this.mode = String(this.gpu.mode);
  }

  gram(factors: { rows: number; cols: number; data: Float32Array }): Float32Array {
    const k = factors.cols;
    this.gramKernel.setOutput([k * k]);
    return toFloat32(this.gramKernel(factors.data, factors.rows, k));
  }

  cgProducts(batch: CgProductBatch): Float32Array {
    const rows = batch.indptr.length - 1;
    if (rows === 0) return new Float32Array(0);
    this.cgKernel.setOutput([rows * batch.k]);
    return toFloat32(
      this.cgKernel(batch.directions, batch.gram, batch.fixed, Float32Array.from(batch.indptr), Float32Array.from(batch.indices), batch.confidence, batch.k),
    );
  }

  scores(
    queries: { rows: number; cols: number; data: Float32Array },
    items: { rows: number; cols: number; data: Float32Array },
    itemBias?: Float32Array | null,
  ): Float32Array {
    if (items.cols !== queries.cols) throw new RangeError(`queries have ${queries.cols} factors but items have ${items.cols}`);
    if (queries.rows === 0 || items.rows === 0) return new Float32Array(queries.rows * items.rows);
    this.scoreKernel.setOutput([queries.rows * items.rows]);
    const bias = itemBias ?? new Float32Array(items.rows);
    return toFloat32(this.scoreKernel(queries.data, items.data, bias, items.rows, queries.cols));
  }

  dispose(): void {
    void this.gpu.destroy();
  }
}

function toFloat32(result: unknown): Float32Array {
  if (result instanceof Float32Array) return result;
  if (ArrayBuffer.isView(result) || Array.isArray(result)) return Float32Array.from(result as ArrayLike<number>);
  throw new TypeError(`gpu.js returned ${Object.prototype.toString.call(result)}, expected a flat array`);
}
