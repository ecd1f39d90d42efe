import type { CnnBackendKind } from "./params.ts";
import type { CnnKernels } from "./kernels.ts";
import { createCpuKernels } from "./kernels-cpu.ts";
import { createGpuKernels } from "./kernels-gpu.ts";

/**
 * Picks the kernels by name (a factory, not subclasses).
 * "gpu" is gpu.js in its default mode: a GL or WebGPU device when there is one, else its
 * WebAssembly SIMD backend (what this 2-core, GPU-less machine gets). "auto" takes gpu.js
 * only when it found a real GPU device and the typed-array reference otherwise, because
 * on the CPU the reference loops measured faster than gpu.js's WebAssembly mode for these
 * shapes (docs/bench-cnn.md).
 */
export function createCnnKernels(kind: CnnBackendKind): CnnKernels {
  if (kind === "cpu") return createCpuKernels();
  if (kind === "gpu") return createGpuKernels();
  if (kind === "auto") {
    const gpuKernels = createGpuKernels();
    if (gpuKernels.mode !== "webasm" && gpuKernels.mode !== "cpu") return gpuKernels;
    gpuKernels.dispose();
    return createCpuKernels();
  }
  throw new RangeError(`backend must be "auto", "cpu" or "gpu", got ${String(kind)}`);
}
