import { describe, expect, it } from "vitest";
import { gaussian, seededRandom } from "../../core/index.ts";
import { createCpuKernels } from "./kernels-cpu.ts";
import { createGpuKernels } from "./kernels-gpu.ts";
import { backward, forward, initParameters, mseLoss, type NetworkShape } from "./network.ts";

// Tiny network touching every layer kind: two conv layers (one pooled), a hidden dense layer.
const shape: NetworkShape = { bands: 3, convChannels: [4, 3], kernelSizes: [3, 3], poolSizes: [2, 1], denseSizes: [5], outputDim: 2 };
const n = 2,
  t = 8;

function setup(seed: number) {
  const random = seededRandom(seed);
  const params = initParameters(shape, random);
  // Larger-than-default output weights so every gradient is well above float32 noise.
  for (const p of params) for (let i = 0; i < p.data.length; i++) p.data[i] += p.isBias ? 0.1 * gaussian(random) : 0;
  const x = Float32Array.from({ length: n * shape.bands * t }, () => gaussian(random));
  const target = Float32Array.from({ length: n * shape.outputDim }, () => gaussian(random));
  return { params, x, target };
}

describe("content network backward pass", () => {
  it("equals central finite differences of the MSE loss for every parameter", () => {
    const kernels = createCpuKernels();
    const { params, x, target } = setup(3);
    const loss = () => mseLoss(kernels, forward(kernels, shape, params, x, n, t).output, target, n, shape.outputDim);
    const cache = forward(kernels, shape, params, x, n, t);
    const grads = backward(kernels, shape, params, cache, kernels.mseGrad(cache.output, target, n, shape.outputDim));
    const eps = 1e-3;
    let checked = 0,
      worst = 0;
    params.forEach((p, index) => {
      expect(grads[index].length).toBe(p.data.length);
      for (let i = 0; i < p.data.length; i++) {
        const original = p.data[i];
        p.data[i] = original + eps;
        const up = loss();
        p.data[i] = original - eps;
        const down = loss();
        p.data[i] = original;
        // Divide by the step float32 actually took, not the nominal eps.
        const step = Math.fround(original + eps) - Math.fround(original - eps);
        const numeric = (up - down) / step;
        const error = Math.abs(numeric - grads[index][i]) / (1e-3 + Math.abs(numeric));
        worst = Math.max(worst, error);
        checked++;
      }
    });
    expect(checked).toBe(params.reduce((s, p) => s + p.data.length, 0));
    expect(worst).toBeLessThan(0.05);
  });

  it("gives the same outputs and gradients on gpu.js as on the CPU reference", () => {
    const cpu = createCpuKernels(),
      gpu = createGpuKernels();
    const { params, x, target } = setup(11);
    const run = (kernels: typeof cpu) => {
      const cache = forward(kernels, shape, params, x, n, t);
      return { output: cache.output, grads: backward(kernels, shape, params, cache, kernels.mseGrad(cache.output, target, n, shape.outputDim)) };
    };
    const a = run(cpu),
      b = run(gpu);
    gpu.dispose();
    a.output.forEach((v, i) => expect(b.output[i]).toBeCloseTo(v, 4));
    a.grads.forEach((g, index) => g.forEach((v, i) => expect(b.grads[index][i]).toBeCloseTo(v, 4)));
  });
});
