import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { instantiateSimd, simdModuleBytes, simdSupported } from "./wasm-simd.ts";

describe("hand-assembled WebAssembly SIMD kernels", () => {
  it("is a valid module on this Node", () => {
    expect(WebAssembly.validate(simdModuleBytes(2))).toBe(true);
    expect(simdSupported()).toBe(true);
  });

  it("computes G v and the sparse CG passes like plain loops", () => {
    const pages = 2, k = 20, items = 9; // 20 = one 16-float block plus a 4-float tail
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const w = instantiateSimd(memory, pages);
    const f = new Float32Array(memory.buffer), ints = new Int32Array(memory.buffer);
    const random = seededRandom(5);
    // Layout in floats: G at 0, v at 512, out at 768, Y at 1024, idx at 2048, conf at 2100.
    for (let i = 0; i < k * k; i++) f[i] = random() - 0.5;
    for (let i = 0; i < k; i++) f[512 + i] = random() - 0.5;
    w.gemv(0, 512 * 4, 768 * 4, k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += f[a * k + b] * f[512 + b];
      expect(f[768 + a]).toBeCloseTo(s, 5);
    }
    for (let i = 0; i < items * k; i++) f[1024 + i] = random() - 0.5;
    const picked = [4, 0, 8];
    picked.forEach((item, q) => { ints[2048 + q] = item; f[2100 + q] = 1 + 3 * random(); });
    for (const mode of [0, 1]) {
      const expected = Array.from({ length: k }, (_, b) => f[768 + b]);
      for (let q = 0; q < picked.length; q++) {
        const y = f.subarray(1024 + picked[q] * k, 1024 + picked[q] * k + k);
        const c = f[2100 + q];
        let t = 0;
        for (let b = 0; b < k; b++) t += y[b] * f[512 + b];
        const coef = mode ? c - (c - 1) * t : (c - 1) * t;
        for (let b = 0; b < k; b++) expected[b] += coef * y[b];
      }
      w.sparse(1024 * 4, 2048 * 4, 2100 * 4, 0, picked.length, 512 * 4, 768 * 4, k, mode);
      for (let b = 0; b < k; b++) expect(f[768 + b]).toBeCloseTo(expected[b], 4);
    }
  });

  it("computes dot, combine and the Gram matrix like plain loops", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const w = instantiateSimd(memory, 1);
    const f = new Float32Array(memory.buffer);
    const k = 20, rows = 3;
    for (let i = 0; i < 200; i++) f[i] = Math.sin(i);
    let dot = 0;
    for (let b = 0; b < k; b++) dot += f[b] * f[100 + b];
    expect(w.dot(0, 400, k)).toBeCloseTo(dot, 5);
    const expected = Array.from({ length: k }, (_, b) => 2 * f[b] - 0.5 * f[100 + b]);
    w.combine(400, 0, k, 2, -0.5);
    for (let b = 0; b < k; b++) expect(f[100 + b]).toBeCloseTo(expected[b], 5);
    // Gram of the 3 x 20 matrix at float 0 into float 1000 (zeroed).
    w.gram(0, rows, k, 4000);
    for (const [a, b] of [[0, 0], [3, 17], [19, 2]]) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += f[r * k + a] * f[r * k + b];
      expect(f[1000 + a * k + b]).toBeCloseTo(s, 5);
    }
  });
});
