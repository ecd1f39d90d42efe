import { resolveBackend, type BackendKind } from "../../core/backend.ts";
import type { CnnKernels } from "./kernels.ts";
import { createCpuKernels } from "./kernels-cpu.ts";
import { createGpuKernels } from "./kernels-gpu.ts";

/**
 * Picks the kernels by name (a factory, not subclasses); core/backend.ts says what "auto", "cpu"
 * and "gpu" pick. Without a GPU, gpu.js runs as WebAssembly SIMD, which measured slower than the
 * typed-array reference for these shapes (docs/bench-cnn.md), hence "auto" takes the reference.
 */
export function createCnnKernels(kind: BackendKind): CnnKernels {
  return resolveBackend(kind) === "gpu" ? createGpuKernels() : createCpuKernels();
}
