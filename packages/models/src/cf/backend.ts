import { resolveBackend, type BackendKind } from "../core/backend.ts";
import type { CfKernels } from "./kernels.ts";
import { cpuKernels } from "./kernels-cpu.ts";
import { GpuKernels } from "./kernels-gpu.ts";

/** A set of kernels plus what runs them; chosen by `createBackend`, never by subclassing a model. */
export interface CfBackend extends CfKernels {
  readonly kind: "cpu" | "gpu";
  /** Human-readable device, e.g. "typed-array CPU" or "gpu.js webasm". */
  readonly device: string;
  dispose(): void;
}

/**
 * The CF kernels for a `backend` option (core/backend.ts says what "auto", "cpu" and "gpu" pick).
 * "gpu" on a machine without a GPU runs gpu.js's WebAssembly fallback, which is how tests check it.
 */
export function createBackend(kind: BackendKind = "auto"): CfBackend {
  if (resolveBackend(kind) === "cpu") return { kind: "cpu", device: "typed-array CPU", ...cpuKernels, dispose() {} };
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
