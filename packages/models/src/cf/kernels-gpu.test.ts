import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { transposeCsr } from "../core/matrix.ts";
import { cpuKernels } from "./kernels-cpu.ts";
import { GpuKernels } from "./kernels-gpu.ts";
import { confidenceMatrix } from "./signals.ts";
import { maxAbsDiff, randomPlays } from "./test-fixtures.ts";

const random = seededRandom(2024);
const matrix = (rows: number, cols: number) => ({ rows, cols, data: Float32Array.from({ length: rows * cols }, () => random() - 0.5) });

// gpu.js compiles these kernels to WebAssembly here (no GPU); on a GPU the same code runs as shaders.
describe("gpu.js kernels agree with their CPU twins", () => {
  const gpu = new GpuKernels();
  afterAll(() => gpu.dispose());
  const k = 16;
  const items = matrix(300, k);
  const users = matrix(7, k);

  it("Gram matrix Y^T Y", () => {
    const expected = cpuKernels.gram(items);
    expect(maxAbsDiff(gpu.gram(items), expected)).toBeLessThan(1e-4);
    // And the CPU one is right: entry (2, 5) by a direct sum.
    let s = 0;
    for (let r = 0; r < items.rows; r++) s += items.data[r * k + 2] * items.data[r * k + 5];
    expect(expected[2 * k + 5]).toBeCloseTo(s, 4);
  });

  it("batched CG products A_u p_u", () => {
    const conf = confidenceMatrix(randomPlays(7, 300, 12, 5), 1, "log1p");
    const gram = cpuKernels.gram(items);
    for (let d = 0; d < k; d++) gram[d * k + d] += 0.1;
    const batch = { k, directions: users.data, gram, fixed: items.data, indptr: conf.indptr, indices: conf.indices, confidence: conf.data };
    const expected = cpuKernels.cgProducts(batch);
    expect(maxAbsDiff(gpu.cgProducts(batch), expected)).toBeLessThan(1e-4);
    // Check row 3 against the explicit A_u = G + sum (c - 1) y y^T.
    const u = 3,
      p = users.data.subarray(u * k, u * k + k);
    for (const a of [0, 9]) {
      let s = 0;
      for (let b = 0; b < k; b++) s += gram[a * k + b] * p[b];
      for (let q = conf.indptr[u]; q < conf.indptr[u + 1]; q++) {
        const y = items.data.subarray(conf.indices[q] * k, conf.indices[q] * k + k);
        s += (conf.data[q] - 1) * y[a] * y.reduce((t, v, b) => t + v * p[b], 0);
      }
      expect(expected[u * k + a]).toBeCloseTo(s, 4);
    }
  });

  it("scores X Y^T with item biases", () => {
    const bias = Float32Array.from({ length: 300 }, () => random());
    const expected = cpuKernels.scores(users, items, bias);
    expect(expected.length).toBe(7 * 300);
    expect(maxAbsDiff(gpu.scores(users, items, bias), expected)).toBeLessThan(1e-4);
    expect(maxAbsDiff(gpu.scores(users, items, null), cpuKernels.scores(users, items, null))).toBeLessThan(1e-4);
    // Widths of 4n take the SIMD kernel, others the plain loops: both against a direct sum.
    for (const width of [16, 5]) {
      const q = matrix(3, width),
        y = matrix(20, width);
      const s = cpuKernels.scores(q, y, bias);
      let direct = bias[17];
      for (let b = 0; b < width; b++) direct += q.data[2 * width + b] * y.data[17 * width + b];
      expect(s[2 * 20 + 17]).toBeCloseTo(direct, 5);
      expect(maxAbsDiff(gpu.scores(q, y, bias), s)).toBeLessThan(1e-4);
    }
  });

  it("handles a transposed (item-side) problem of another width", () => {
    const conf = confidenceMatrix(transposeCsr(randomPlays(40, 9, 4, 8)), 2, "raw");
    const k2 = 5,
      fixed = matrix(40, k2),
      dirs = matrix(9, k2);
    const gram = cpuKernels.gram(fixed);
    const batch = { k: k2, directions: dirs.data, gram, fixed: fixed.data, indptr: conf.indptr, indices: conf.indices, confidence: conf.data };
    expect(maxAbsDiff(gpu.cgProducts(batch), cpuKernels.cgProducts(batch))).toBeLessThan(1e-4);
  });
});
