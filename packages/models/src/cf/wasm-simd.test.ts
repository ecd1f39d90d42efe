import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { relaxedSimdProbeBytes, relaxedSimdSupported } from "./wasm-asm.ts";
import { instantiateSimd, simdGram, simdModuleBytes, simdSupported } from "./wasm-simd.ts";

// Fix what the product's kernels use on this runtime before relaxedTestable() can set V8's flag.
relaxedSimdSupported();

/** As in wasm-cg.test.ts: relaxed SIMD natively on Node 22+, behind V8's flag on Node 20 (this test process only). */
function relaxedTestable(): boolean {
  if (WebAssembly.validate(relaxedSimdProbeBytes())) return true;
  try {
    setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    return false;
  }
  return WebAssembly.validate(relaxedSimdProbeBytes());
}

describe("hand-assembled WebAssembly SIMD kernels", () => {
  it("is a valid module on this Node", () => {
    expect(WebAssembly.validate(simdModuleBytes(2, false))).toBe(true);
    expect(simdSupported()).toBe(true);
  });

  it.each(relaxedTestable() ? [false, true] : [false])("computes scores X Y^T + bias like plain loops (relaxed SIMD: %s)", (relaxed) => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const w = instantiateSimd(memory, 1, relaxed);
    const f = new Float32Array(memory.buffer);
    const random = seededRandom(5);
    const k = 20,
      n = 3,
      m = 7; // 20 = one 16-float block plus a 4-float tail
    // Layout in floats: X at 0, Y at 100, bias at 300, out at 400.
    for (let i = 0; i < 400; i++) f[i] = random() - 0.5;
    w.scores(0, 400, 1200, 1600, n, m, k);
    for (let u = 0; u < n; u++) {
      for (let i = 0; i < m; i++) {
        let s = f[300 + i];
        for (let b = 0; b < k; b++) s += f[u * k + b] * f[100 + i * k + b];
        expect(f[400 + u * m + i]).toBeCloseTo(s, 5);
      }
    }
  });

  it("computes the Gram matrix through the scratch memory", () => {
    const random = seededRandom(6);
    const k = 12,
      rows = 5;
    const y = Float32Array.from({ length: rows * k }, () => random() - 0.5);
    const g = simdGram(y, rows, k)!;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += y[r * k + a] * y[r * k + b];
        expect(g[a * k + b]).toBeCloseTo(s, 5);
      }
    }
  });
});
