import { afterAll, describe, expect, it } from "vitest";
import { gpuProbe } from "../../core/backend.ts";
import { seededRandom } from "../../core/index.ts";
import { createCpuKernels } from "./kernels-cpu.ts";
import { createGpuKernels } from "./kernels-gpu.ts";

const random = seededRandom(7);
const rand = (size: number) => Float32Array.from({ length: size }, () => random() * 2 - 1);
// Values on a coarse grid so max pooling meets ties, which both sides must break the same way.
const coarse = (size: number) => Float32Array.from({ length: size }, () => Math.round(random() * 4) / 4);

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

// gpu.js "gpu" mode is whatever device it finds (WebAssembly SIMD on a machine without a GPU);
// its "cpu" mode is a different code generator, so both are held to the reference.
describe.each(["gpu", "cpu"] as const)("gpu.js kernels (mode %s) equal the CPU reference", (mode) => {
  const cpu = createCpuKernels();
  const gpu = createGpuKernels({ mode });
  afterAll(() => gpu.dispose());
  const [n, cin, cout, t] = [3, 5, 4, 11];

  it("runs in the mode asked for: plain JS for cpu, the probed device (or WebAssembly) for gpu", () => {
    expect(gpu.name).toBe("gpu");
    expect(gpu.mode).toBe(mode === "cpu" ? "cpu" : gpuProbe().mode);
  });

  it.each([1, 3, 5])("conv1d forward and backward, kernel %i", (k) => {
    const x = rand(n * cin * t),
      w = rand(cout * cin * k),
      b = rand(cout),
      dy = rand(n * cout * t);
    expectClose(gpu.conv1dForward(x, w, b, n, cin, cout, t, k), cpu.conv1dForward(x, w, b, n, cin, cout, t, k));
    expectClose(gpu.conv1dBackwardInput(dy, w, n, cin, cout, t, k), cpu.conv1dBackwardInput(dy, w, n, cin, cout, t, k));
    expectClose(gpu.conv1dBackwardWeights(x, dy, n, cin, cout, t, k), cpu.conv1dBackwardWeights(x, dy, n, cin, cout, t, k));
    expectClose(gpu.conv1dBackwardBias(dy, n, cout, t), cpu.conv1dBackwardBias(dy, n, cout, t));
  });

  it("relu and its gradient", () => {
    const x = rand(200),
      dy = rand(200);
    const y = cpu.relu(x);
    expectClose(gpu.relu(x), y, 0);
    expectClose(gpu.reluBackward(y, dy), cpu.reluBackward(y, dy), 0);
  });

  it("max pooling with ties and a remainder", () => {
    const rows = n * cout,
      p = 3;
    const x = coarse(rows * t),
      dy = rand(rows * Math.floor(t / p));
    expectClose(gpu.maxPool(x, rows, t, p), cpu.maxPool(x, rows, t, p), 0);
    expectClose(gpu.maxPoolBackward(x, dy, rows, t, p), cpu.maxPoolBackward(x, dy, rows, t, p), 0);
  });

  it("global mean/max/RMS pooling with ties", () => {
    const x = coarse(n * cout * t),
      dPooled = rand(n * 3 * cout);
    const pooled = cpu.globalPool(x, n, cout, t);
    expectClose(gpu.globalPool(x, n, cout, t), pooled);
    expectClose(gpu.globalPoolBackward(x, pooled, dPooled, n, cout, t), cpu.globalPoolBackward(x, pooled, dPooled, n, cout, t));
  });

  it("dense layer and its gradients", () => {
    const [inputs, outputs] = [7, 5];
    const x = rand(n * inputs),
      w = rand(outputs * inputs),
      b = rand(outputs),
      dy = rand(n * outputs);
    expectClose(gpu.dense(x, w, b, n, inputs, outputs), cpu.dense(x, w, b, n, inputs, outputs));
    expectClose(gpu.denseBackwardInput(dy, w, n, inputs, outputs), cpu.denseBackwardInput(dy, w, n, inputs, outputs));
    expectClose(gpu.denseBackwardWeights(x, dy, n, inputs, outputs), cpu.denseBackwardWeights(x, dy, n, inputs, outputs));
    expectClose(gpu.denseBackwardBias(dy, n, outputs), cpu.denseBackwardBias(dy, n, outputs));
  });

  it("squared error rows and MSE gradient", () => {
    const y = rand(n * 6),
      target = rand(n * 6);
    expectClose(gpu.squaredErrorRows(y, target, n, 6), cpu.squaredErrorRows(y, target, n, 6));
    expectClose(gpu.mseGrad(y, target, n, 6), cpu.mseGrad(y, target, n, 6));
  });

  it("keeps working when the same kernel is called with new sizes", () => {
    for (const frames of [4, 9, 16]) {
      const x = rand(2 * cin * frames),
        w = rand(cout * cin * 3),
        b = rand(cout);
      expectClose(gpu.conv1dForward(x, w, b, 2, cin, cout, frames, 3), cpu.conv1dForward(x, w, b, 2, cin, cout, frames, 3));
    }
  });
});
