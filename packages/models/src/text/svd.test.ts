import { describe, expect, it } from "vitest";
import { csrFromTriples } from "../core/matrix.ts";
import { seededRandom } from "../core/random.ts";
import { randomizedSvd, symmetricEigen } from "./svd.ts";

function randomSparse(rows: number, cols: number, density: number, seed: number) {
  const random = seededRandom(seed);
  const r: number[] = [],
    c: number[] = [],
    v: number[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      if (random() < density) {
        r.push(i);
        c.push(j);
        v.push(random() * 2 - 1);
      }
  return csrFromTriples(rows, cols, { rows: Int32Array.from(r), cols: Int32Array.from(c), values: Float32Array.from(v) });
}

describe("symmetricEigen", () => {
  it("diagonalises a known 2x2 matrix", () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
  });
});

describe("randomizedSvd", () => {
  it("matches the exact singular values and reconstructs a low-rank matrix", () => {
    const a = randomSparse(40, 30, 0.3, 7);
    // Exact singular values: square roots of the eigenvalues of A^T A.
    const ata = new Float64Array(30 * 30);
    for (let r = 0; r < a.rows; r++) {
      for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
        for (let q = a.indptr[r]; q < a.indptr[r + 1]; q++) ata[a.indices[p] * 30 + a.indices[q]] += a.data[p] * a.data[q];
      }
    }
    const exact = Array.from(symmetricEigen(ata, 30).values)
      .map((x) => Math.sqrt(Math.max(x, 0)))
      .sort((x, y) => y - x);
    const svd = randomizedSvd(a, 5, { random: seededRandom(1), oversample: 10, powerIterations: 4 });
    for (let i = 0; i < 5; i++) expect(svd.s[i]).toBeCloseTo(exact[i], 3);
    // Columns of U are orthonormal.
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        let dot = 0;
        for (let r = 0; r < 40; r++) dot += svd.u.data[r * 5 + i] * svd.u.data[r * 5 + j];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 4);
      }
    }
    // At full rank, U S V^T gives A back.
    const full = randomizedSvd(a, 30, { random: seededRandom(2) });
    let maxError = 0;
    for (let r = 0; r < 40; r++) {
      const dense = new Float64Array(30);
      for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) dense[a.indices[p]] = a.data[p];
      for (let c = 0; c < 30; c++) {
        let x = 0;
        for (let k = 0; k < 30; k++) x += full.u.data[r * 30 + k] * full.s[k] * full.v.data[c * 30 + k];
        maxError = Math.max(maxError, Math.abs(x - dense[c]));
      }
    }
    expect(maxError).toBeLessThan(1e-4);
  });

  it("names a rank outside the matrix", () => {
    expect(() => randomizedSvd(randomSparse(4, 3, 1, 1), 4, { random: seededRandom(1) })).toThrow("k must be 1..3 (min of rows and cols), got 4");
  });
});
