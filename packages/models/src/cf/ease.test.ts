import { describe, expect, it } from "vitest";
import { CancelledError } from "../core/errors.ts";
import { csrFromTriples, type Csr } from "../core/matrix.ts";
import { Ease } from "./ease.ts";
import { invertSpdInPlace } from "./spd-inverse.ts";
import { maxAbsDiff, randomPlays } from "./test-fixtures.ts";
import { spdMatrix, spdPlacement, wasmSpdSupported } from "./wasm-spd.ts";

const matrix = (users: number, items: number, pairs: [number, number][]): Csr =>
  csrFromTriples(users, items, {
    rows: Int32Array.from(pairs, ([u]) => u),
    cols: Int32Array.from(pairs, ([, i]) => i),
    values: Float32Array.from(pairs, () => 7),
  });

describe("invertSpdInPlace", () => {
  it("inverts random SPD matrices of every size modulo 4: A times the result is I", async () => {
    for (const n of [1, 2, 5, 11, 16, 23]) {
      const m = randomPlays(n + 3, n, 4, n);
      const a = new Float64Array(n * n);
      for (let u = 0; u < m.rows; u++) {
        for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
          for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) a[m.indices[p] * n + m.indices[q]] += m.data[p] * m.data[q];
        }
      }
      for (let d = 0; d < n; d++) a[d * n + d] += 0.5;
      const original = a.slice();
      await invertSpdInPlace(a, n);
      const product = new Float64Array(n * n);
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += original[r * n + k] * a[k * n + c];
          product[r * n + c] = s;
        }
      const identity = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
      expect(maxAbsDiff(product, identity), `n = ${n}`).toBeLessThan(1e-9);
      for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) expect(a[r * n + c]).toBe(a[c * n + r]);
    }
  });

  it("gives the same inverse bit for bit in the WebAssembly kernels as in the JavaScript loops", async () => {
    expect(wasmSpdSupported()).toBe(true);
    // Sizes with 0-7 rows after the last block of eight (the rest goes in blocks of four), and
    // odd and even counts of rows after each block (the kernels take the streamed rows in pairs).
    for (const n of [4, 5, 7, 8, 9, 12, 13, 15, 16, 17, 20, 23, 24, 30, 61]) {
      const m = randomPlays(2 * n, n, 6, n + 1);
      const plain = new Float64Array(n * n);
      for (let u = 0; u < m.rows; u++) {
        for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
          for (let q = m.indptr[u]; q < m.indptr[u + 1]; q++) plain[m.indices[p] * n + m.indices[q]] += m.data[p] * m.data[q];
        }
      }
      for (let d = 0; d < n; d++) plain[d * n + d] += 0.25 + d / n;
      const placed = spdMatrix(n);
      expect(spdPlacement(placed, n), `n = ${n}: the matrix is in a WebAssembly memory`).not.toBeNull();
      expect(spdPlacement(plain, n)).toBeNull();
      placed.set(plain);
      await invertSpdInPlace(plain, n);
      await invertSpdInPlace(placed, n);
      for (let i = 0; i < n * n; i++) if (!Object.is(placed[i], plain[i])) expect.fail(`n = ${n}: element ${i} is ${placed[i]}, the loops give ${plain[i]}`);
    }
    const notSpd = spdMatrix(2);
    notSpd.set([1, 2, 2, 1]);
    await expect(invertSpdInPlace(notSpd, 2)).rejects.toThrow(/not positive definite at row 1/);
  });

  it("rejects a matrix that is not positive definite, and stops when aborted", async () => {
    await expect(invertSpdInPlace(Float64Array.of(1, 2, 2, 1), 2)).rejects.toThrow(/not positive definite at row 1/);
    const big = new Float64Array(200 * 200);
    for (let d = 0; d < 200; d++) big[d * 201] = 1;
    await expect(invertSpdInPlace(big, 200, { signal: AbortSignal.abort() })).rejects.toThrow(CancelledError);
  });
});

describe("Ease", () => {
  it("gives the hand-computed B of a two-item example", async () => {
    // G = [[3, 2], [2, 3]], lambda 1: P = [[4, -2], [-2, 4]] / 12, B[0][1] = -P[0][1] / P[1][1] = 0.5.
    const x = matrix(4, 2, [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 0],
      [2, 1],
      [3, 1],
    ]);
    const model = await new Ease({ lambda: 1 }).fit(x);
    expect(Array.from(model.keptItems)).toEqual([0, 1]);
    expect(Array.from(model.itemWeights)).toEqual([0, 0.5, 0.5, 0]);
  });

  it("solves the EASE problem: zero diagonal, and (G + lambda I) B equals G off the diagonal", async () => {
    const x = randomPlays(60, 40, 8, 3);
    const lambda = 2.5;
    const model = await new Ease({ lambda }).fit(x);
    const kept = model.keptItems,
      n = kept.length,
      b = model.itemWeights;
    expect(n).toBeGreaterThan(20);
    const column = new Int32Array(x.cols).fill(-1);
    kept.forEach((item, j) => (column[item] = j));
    const g = new Float64Array(n * n);
    for (let u = 0; u < x.rows; u++) {
      const items = Array.from(x.indices.subarray(x.indptr[u], x.indptr[u + 1]), (i) => column[i]).filter((j) => j >= 0);
      for (const i of items) for (const j of items) g[i * n + j] += 1; // binary: play counts do not matter
    }
    let worst = 0;
    for (let i = 0; i < n; i++) {
      expect(b[i * n + i]).toBe(0);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        let s = lambda * b[i * n + j];
        for (let k = 0; k < n; k++) s += g[i * n + k] * b[k * n + j];
        worst = Math.max(worst, Math.abs(s - g[i * n + j]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it("keeps only items with enough listeners; the rest score -Infinity and have no neighbours", async () => {
    const x = matrix(3, 4, [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 2],
    ]);
    const model = await new Ease({ lambda: 1, minListeners: 2 }).fit(x);
    expect(Array.from(model.keptItems)).toEqual([0, 1]);
    const scores = model.scoreHistory(x, x.indptr[2], x.indptr[3], new Float32Array(4));
    expect(scores[2]).toBe(-Infinity);
    expect(scores[3]).toBe(-Infinity);
    expect(scores[1]).toBeGreaterThan(0);
    expect(Array.from(model.similarItems(2, 2).ids)).toEqual([-1, -1]);
    expect(Array.from(model.similarItems(0, 2).ids)).toEqual([1, -1]);
  });

  it("refuses a catalogue too large for the dense item-item matrix, naming the limit", async () => {
    const x = randomPlays(50, 30, 10, 1);
    await expect(new Ease({ maxItems: 5 }).fit(x)).rejects.toThrow(/at most maxItems = 5 items, but \d+ items have >= 2 listeners/);
    expect(() => new Ease({ lambda: 0 })).toThrow(RangeError);
  });
});
