import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { cpuKernels, typedArrayKernels } from "./kernels-cpu.ts";
import { maxAbsDiff } from "./test-fixtures.ts";

const random = seededRandom(2024);
const matrix = (rows: number, cols: number) => ({ rows, cols, data: Float32Array.from({ length: rows * cols }, () => random() - 0.5) });

describe("the CPU kernels: WebAssembly SIMD where the width allows, the typed-array loops otherwise", () => {
  it("give the typed-array loops' Gram matrix and scores (float32 rounding apart), and the loops' exact answer at an odd width", () => {
    for (const k of [64, 13]) {
      const items = matrix(500, k),
        users = matrix(9, k);
      const bias = Float32Array.from({ length: 500 }, () => random());
      const loops = { gram: typedArrayKernels.gram(items), scores: typedArrayKernels.scores(users, items, bias) };
      const simd = { gram: cpuKernels.gram(items), scores: cpuKernels.scores(users, items, bias) };
      if (k % 4 === 0) {
        expect(maxAbsDiff(simd.gram, loops.gram)).toBeLessThan(1e-3);
        expect(maxAbsDiff(simd.scores, loops.scores)).toBeLessThan(1e-4);
      } else expect(simd).toEqual(loops);
    }
  });
});
