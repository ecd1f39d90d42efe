import { describe, expect, it } from "vitest";
import { checkBackendKind, createGpu, gpuProbe, kernelMode, resolveBackend } from "./backend.ts";

describe("the shared backend choice", () => {
  it("probes gpu.js once and reports the mode a kernel actually runs in", () => {
    const probe = gpuProbe();
    expect(gpuProbe()).toBe(probe);
    // A kernel on a fresh gpu.js instance left to choose settles in the probed mode.
    const gpu = createGpu();
    const kernel = gpu.createKernel(
      function () {
        return 2;
      },
      { output: [1] },
    );
    expect(Array.from(kernel() as Float32Array)).toEqual([2]);
    expect(kernelMode(kernel, gpu)).toBe(probe.mode);
    void gpu.destroy();
    // Its fallbacks are not a GPU; anything else it picked is one.
    expect(probe.realGpu).toBe(probe.mode !== "webasm" && probe.mode !== "cpu");
  });

  it('forced gpu.js modes are kept: "cpu" runs plain JS', () => {
    const gpu = createGpu("cpu");
    const kernel = gpu.createKernel(
      function () {
        return 3;
      },
      { output: [1] },
    );
    kernel();
    expect(kernelMode(kernel, gpu)).toBe("cpu");
    void gpu.destroy();
  });

  it('resolves "auto" by the probe and keeps an explicit choice', () => {
    expect(resolveBackend("cpu")).toBe("cpu");
    expect(resolveBackend("gpu")).toBe("gpu");
    expect(resolveBackend("auto")).toBe(gpuProbe().realGpu ? "gpu" : "cpu");
  });

  it("names the option in its error", () => {
    expect(checkBackendKind("gpu")).toBe("gpu");
    expect(() => checkBackendKind("tpu")).toThrow('backend must be "auto", "cpu" or "gpu", got "tpu"');
    expect(() => checkBackendKind(undefined, "cnn.backend")).toThrow('cnn.backend must be "auto", "cpu" or "gpu", got undefined');
    expect(() => resolveBackend(7 as never, "params.backend")).toThrow("params.backend must be");
  });
});
