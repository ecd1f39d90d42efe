import gpujs from "gpu.js";
import type { IKernelRunShortcut } from "gpu.js";

// Kept out of core/index.ts on purpose: importing it loads gpu.js, which the dashboard must not
// bundle. The CF kernels (cf/backend.ts) and the content network's (audio/cnn/backend.ts) both
// choose their backend here.

// gpu.js ships CommonJS; its named exports do not survive Node's ESM interop.
const { GPU } = gpujs;
export type GpuJs = InstanceType<typeof GPU>;

/**
 * What a model's `backend` option asks for. "cpu": the typed-array kernels (for CF, with the
 * generated WebAssembly SIMD kernels where the runtime has SIMD). "gpu": the gpu.js kernels, on a
 * graphics device when gpu.js finds one, else as gpu.js's WebAssembly fallback ("webasm").
 * "auto": "gpu" only when `gpuProbe` finds a real graphics device, else "cpu", because gpu.js's
 * WebAssembly fallback measured slower than the CPU kernels (docs/bench-cf.md, docs/bench-cnn.md).
 */
export type BackendKind = "auto" | "cpu" | "gpu";
export const backendKinds: readonly BackendKind[] = ["auto", "cpu", "gpu"];

/** gpu.js modes a caller may force: "gpu" (its own pick), "webasm" or "cpu" (plain JS). */
export type GpuJsMode = "gpu" | "webasm" | "cpu";

/**
 * gpu.js modes that run on a graphics device, as opposed to its "webasm" and "cpu" fallbacks (its
 * GL kernels report "gpu" or the GL flavour).
 */
const deviceModes = new Set(["gpu", "webgl", "webgl2", "headlessgl", "webgpu"]);

export interface GpuProbe {
  /** The mode gpu.js runs kernels in here when left to choose ("webasm" without a GPU). */
  mode: string;
  /** Whether that mode is a graphics device. */
  realGpu: boolean;
}

/** Throws a RangeError naming `option` unless `value` is one of `backendKinds`. */
export function checkBackendKind(value: unknown, option = "backend"): BackendKind {
  if (!backendKinds.includes(value as BackendKind)) {
    const names = backendKinds.map((k) => `"${k}"`);
    throw new RangeError(`${option} must be ${names.slice(0, -1).join(", ")} or ${names.at(-1)}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as BackendKind;
}

/** A gpu.js instance in the given mode (default: gpu.js picks, as mode "gpu" does). */
export function createGpu(mode?: GpuJsMode): GpuJs {
  return new GPU(mode ? { mode } : {});
}

/**
 * The mode a compiled kernel runs in. gpu.js settles its backend when a kernel first runs, and a
 * GPU created with mode "gpu" keeps reporting "gpu"; the kernel knows what it became.
 */
export function kernelMode(kernel: IKernelRunShortcut, gpu: GpuJs): string {
  const settled = (kernel as unknown as { kernel?: { constructor?: { mode?: string } } }).kernel?.constructor?.mode;
  return String(settled ?? gpu.mode);
}

let probed: GpuProbe | undefined;

/** What gpu.js finds on this machine: probed once per process (thread) with a one-thread kernel. */
export function gpuProbe(): GpuProbe {
  if (!probed) {
    const gpu = createGpu();
    const probe = gpu.createKernel(
      function () {
        return 1;
      },
      { output: [1] },
    );
    probe();
    const mode = kernelMode(probe, gpu);
    void gpu.destroy();
    probed = { mode, realGpu: deviceModes.has(mode) };
  }
  return probed;
}

/** The backend that runs for a `backend` option: "auto" becomes "gpu" on a real GPU, else "cpu". */
export function resolveBackend(kind: BackendKind, option = "backend"): "cpu" | "gpu" {
  const checked = checkBackendKind(kind, option);
  if (checked !== "auto") return checked;
  return gpuProbe().realGpu ? "gpu" : "cpu";
}
