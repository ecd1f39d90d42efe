import { describe, expect, it } from "vitest";
import { gpuProbe } from "../core/backend.ts";
import { seededRandom } from "../core/random.ts";
import { createBackend } from "./backend.ts";
import { maxAbsDiff } from "./test-fixtures.ts";

describe("createBackend", () => {
  it('gives the CPU kernels for "cpu", gpu.js for "gpu", and gpu.js for "auto" only on a real GPU', () => {
    const random = seededRandom(5);
    const items = { rows: 50, cols: 8, data: Float32Array.from({ length: 400 }, () => random() - 0.5) };
    const cpu = createBackend("cpu");
    expect([cpu.kind, cpu.device]).toEqual(["cpu", "typed-array CPU"]);
    const gpu = createBackend("gpu");
    expect([gpu.kind, gpu.device]).toEqual(["gpu", `gpu.js ${gpuProbe().mode}`]);
    expect(maxAbsDiff(gpu.gram(items), cpu.gram(items))).toBeLessThan(1e-4);
    gpu.dispose();
    const auto = createBackend("auto");
    expect(auto.kind).toBe(gpuProbe().realGpu ? "gpu" : "cpu");
    auto.dispose();
  });

  it("rejects an unknown backend by name", () => {
    expect(() => createBackend("tpu" as never)).toThrow('backend must be "auto", "cpu" or "gpu", got "tpu"');
  });
});
