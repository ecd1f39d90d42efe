import { describe, expect, it } from "vitest";
import { createCpuKernels } from "./kernels-cpu.ts";

const k = createCpuKernels();
const f32 = (...v: number[]) => Float32Array.from(v);

describe("CPU reference kernels: hand-computed answers", () => {
  // x = [1 2 3 4], w = [1 2 3], b = 0.5, same padding: y[f] = b + x[f-1] + 2 x[f] + 3 x[f+1].
  it("conv1d forward", () => {
    expect(Array.from(k.conv1dForward(f32(1, 2, 3, 4), f32(1, 2, 3), f32(0.5), 1, 1, 1, 4, 3))).toEqual([8.5, 14.5, 20.5, 11.5]);
  });

  it("conv1d backward: y0 = 2 x0 + 3 x1 gives dx = [2 3 0 0], dw = [0 x0 x1], db = 1", () => {
    const dy = f32(1, 0, 0, 0);
    expect(Array.from(k.conv1dBackwardInput(dy, f32(1, 2, 3), 1, 1, 1, 4, 3))).toEqual([2, 3, 0, 0]);
    expect(Array.from(k.conv1dBackwardWeights(f32(1, 2, 3, 4), dy, 1, 1, 1, 4, 3))).toEqual([0, 1, 2]);
    expect(Array.from(k.conv1dBackwardBias(dy, 1, 1, 4))).toEqual([1]);
  });

  it("conv1d mixes channels: two inputs, two outputs, kernel 1", () => {
    // w[o][c]: o0 = c0 + 2 c1, o1 = -c0; x = [c0: 1 2, c1: 3 4].
    const y = k.conv1dForward(f32(1, 2, 3, 4), f32(1, 2, -1, 0), f32(0, 0), 1, 2, 2, 2, 1);
    expect(Array.from(y)).toEqual([7, 10, -1, -2]);
  });

  it("relu and its gradient", () => {
    expect(Array.from(k.relu(f32(-1, 0, 2)))).toEqual([0, 0, 2]);
    expect(Array.from(k.reluBackward(f32(0, 0, 2), f32(5, 6, 7)))).toEqual([0, 0, 7]);
  });

  it("max pooling drops the remainder and sends a tie's gradient to the first maximum", () => {
    const x = f32(1, 3, 2, 2, 5);
    expect(Array.from(k.maxPool(x, 1, 5, 2))).toEqual([3, 2]);
    expect(Array.from(k.maxPoolBackward(x, f32(10, 20), 1, 5, 2))).toEqual([0, 10, 20, 0, 0]);
  });

  it("global mean, max and root-mean-square pooling with gradients", () => {
    const x = f32(3, 4);
    const pooled = k.globalPool(x, 1, 1, 2);
    const rms = Math.sqrt(12.5);
    expect(pooled[0]).toBeCloseTo(3.5, 6);
    expect(pooled[1]).toBe(4);
    expect(pooled[2]).toBeCloseTo(rms, 5);
    const dx = k.globalPoolBackward(x, pooled, f32(1, 1, 1), 1, 1, 2);
    expect(dx[0]).toBeCloseTo(0.5 + 3 / (2 * rms), 5);
    expect(dx[1]).toBeCloseTo(0.5 + 4 / (2 * rms) + 1, 5);
  });

  it("dense layer and its gradients", () => {
    const w = f32(1, 0, 0.5, -1);
    expect(Array.from(k.dense(f32(1, 2), w, f32(0, 1), 1, 2, 2))).toEqual([1, -0.5]);
    expect(Array.from(k.denseBackwardInput(f32(1, 2), w, 1, 2, 2))).toEqual([2, -2]);
    expect(Array.from(k.denseBackwardWeights(f32(1, 2), f32(1, 2), 1, 2, 2))).toEqual([1, 2, 2, 4]);
    expect(Array.from(k.denseBackwardBias(f32(1, 2, 3, 4), 2, 2))).toEqual([4, 6]);
  });

  it("squared error per row and the MSE gradient", () => {
    expect(Array.from(k.squaredErrorRows(f32(1, 2, 0, 1), f32(0, 0, 0, 0), 2, 2))).toEqual([5, 1]);
    expect(Array.from(k.mseGrad(f32(1, 2), f32(0, 0), 1, 2))).toEqual([1, 2]);
  });
});
