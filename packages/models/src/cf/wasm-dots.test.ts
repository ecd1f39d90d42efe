import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { denseMatrix } from "../core/matrix.ts";
import { dot } from "../core/vector.ts";
import { RowDots, wasmDotsSupported } from "./wasm-dots.ts";

/** Rows with values of very different magnitudes, so float64 sums round and the order of additions shows. */
function matrix(rows: number, cols: number, seed: number) {
  const random = seededRandom(seed);
  const m = denseMatrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) {
    const r = random();
    m.data[i] = (random() - 0.5) * 10 ** Math.floor(r * 12 - 6);
  }
  return m;
}

describe("exact dot products in WebAssembly", () => {
  it("runs here (Node 20 and later have WebAssembly SIMD)", () => {
    expect(wasmDotsSupported()).toBe(true);
  });

  for (const k of [1, 3, 4, 5, 8, 63, 64, 67, 100]) {
    it(`equals core/vector.ts's dot bit for bit, k = ${k}`, () => {
      const a = matrix(300, k, k),
        b = matrix(50, k, 1000 + k);
      const dots = RowDots.create([a, b, a]);
      expect(dots.holds(a) && dots.holds(b)).toBe(true);
      const random = seededRandom(7 * k);
      const rows = Int32Array.from({ length: 5000 }, () => Math.floor(random() * a.rows));
      const query = b.data.subarray(3 * k, 4 * k);
      const out = new Float64Array(rows.length);
      dots.dots(a, rows, rows.length, query, out);
      let differ = 0;
      rows.forEach((row, r) => (differ += Object.is(out[r], dot(a.data, row * k, query, 0, k)) ? 0 : 1));
      expect(differ).toBe(0);
      dots.dotsWithRow(a, rows, 200, 17, out);
      for (let r = 0; r < 200; r++) expect(out[r]).toBe(dot(a.data, 17 * k, a.data, rows[r] * k, k));
      for (let r = 0; r < 200; r++) expect(dots.pair(a, rows[r], r)).toBe(dot(a.data, rows[r] * k, a.data, r * k, k));
      // The sums really depend on the order of additions at these magnitudes (else the test could not fail).
      if (k >= 8) {
        const naive = (i: number) => {
          let s = 0;
          for (let j = 0; j < k; j++) s += a.data[i * k + j] * query[j];
          return s;
        };
        expect(rows.some((row) => naive(row) !== dot(a.data, row * k, query, 0, k))).toBe(true);
      }
    });
  }

  it("refuses a row number outside the matrix instead of reading another matrix's floats", () => {
    const a = matrix(10, 4, 1),
      b = matrix(10, 4, 2);
    const dots = RowDots.create([a, b]);
    const out = new Float64Array(2);
    expect(() => dots.dots(a, [3, 10], 2, b.data.subarray(0, 4), out)).toThrow(/row 10 is not a row of a 10 x 4 matrix/);
    expect(() => dots.dots(a, [-1], 1, b.data.subarray(0, 4), out)).toThrow(/row -1 is not a row/);
    expect(() => dots.dotsWithRow(a, [3], 1, 12, out)).toThrow(/row 12 is not a row of the matrix/);
    expect(() => dots.pair(a, 2, 10)).toThrow(/rows 2 and 10 are not both rows of a 10 x 4 matrix/);
  });

  it("goes through dot for a matrix it does not hold, and for every matrix in JavaScript", () => {
    const held = matrix(10, 8, 1),
      other = matrix(20, 8, 2);
    for (const dots of [RowDots.create([held]), RowDots.javascript()]) {
      expect(dots.holds(other)).toBe(false);
      const out = new Float64Array(3);
      dots.dots(other, [4, 0, 19], 3, held.data.subarray(0, 8), out);
      expect([...out]).toEqual([4, 0, 19].map((i) => dot(other.data, i * 8, held.data, 0, 8)));
      dots.dotsWithRow(other, [4, 0, 19], 3, 7, out);
      expect([...out]).toEqual([4, 0, 19].map((i) => dot(other.data, i * 8, other.data, 7 * 8, 8)));
      expect(dots.pair(other, 1, 2)).toBe(dot(other.data, 8, other.data, 16, 8));
    }
    expect(RowDots.javascript().holds(held)).toBe(false);
  });
});
