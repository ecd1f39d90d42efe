import type { BackendKind } from "./params.ts";
import { cpuKernels, type CfKernels } from "./kernels.ts";
import { detectGpu, GpuKernels } from "./gpu-kernels.ts";

/** A set of kernels plus what runs them; chosen by `createBackend`, never by subclassing a model. */
export interface CfBackend extends CfKernels {
  readonly kind: "cpu" | "gpu";
  /** Human-readable device, e.g. "typed-array CPU" or "gpu.js webasm". */
  readonly device: string;
  dispose(): void;
}

let detected: { mode: string; realGpu: boolean } | undefined;

/** What gpu.js finds on this machine (probed once per process). */
export function gpuAvailability(): { mode: string; realGpu: boolean } {
  detected ??= detectGpu();
  return detected;
}

/**
 * "cpu": the typed-array kernels. "gpu": gpu.js kernels (on a machine without a GPU they run as
 * gpu.js's WebAssembly fallback, which is how tests check them). "auto": gpu.js only when it
 * reports a real GPU, else the CPU kernels, which are the faster CPU path.
 */
export function createBackend(kind: BackendKind = "auto"): CfBackend {
  if (kind === "cpu" || (kind === "auto" && !gpuAvailability().realGpu)) {
    return { kind: "cpu", device: "typed-array CPU", ...cpuKernels, dispose() {} };
  }
  if (kind !== "gpu" && kind !== "auto") throw new RangeError(`backend must be "auto", "cpu" or "gpu", got "${String(kind)}"`);
  const kernels = new GpuKernels();
  return {
    kind: "gpu",
    device: `gpu.js ${kernels.mode}`,
    gram: (f) => kernels.gram(f),
    cgProducts: (b) => kernels.cgProducts(b),
    scores: (q, i, bias) => kernels.scores(q, i, bias),
    dispose: () => kernels.dispose(),
  };
}
