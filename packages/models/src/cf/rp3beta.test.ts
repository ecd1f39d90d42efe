import { describe, expect, it } from "vitest";
import { NotFittedError } from "../core/errors.ts";
import { csrFromTriples, type Csr } from "../core/matrix.ts";
import { Rp3Beta } from "./rp3beta.ts";
import { randomPlays } from "./test-fixtures.ts";

const matrix = (users: number, items: number, pairs: [number, number, number?][]): Csr =>
  csrFromTriples(users, items, {
    rows: Int32Array.from(pairs, ([u]) => u),
    cols: Int32Array.from(pairs, ([, i]) => i),
    values: Float32Array.from(pairs, ([, , v]) => v ?? 5),
  });

/** W as a dense row-major items x items array. */
function dense(w: Csr): number[] {
  const out = new Array<number>(w.rows * w.cols).fill(0);
  for (let i = 0; i < w.rows; i++) for (let q = w.indptr[i]; q < w.indptr[i + 1]; q++) out[i * w.cols + w.indices[q]] = w.data[q];
  return out;
}

// Listener 0 heard items 0 and 1, listener 1 items 0, 1 and 2, listener 2 item 1: listener degrees
// 2, 3, 1 and item popularities 2, 3, 1.
const x = matrix(3, 3, [
  [0, 0],
  [0, 1, 40],
  [1, 0],
  [1, 1],
  [1, 2, 2],
  [2, 1],
]);

describe("Rp3Beta", () => {
  it("gives the hand-computed W of a three-item example (alpha 1, beta 0.5)", () => {
    const w = dense(new Rp3Beta({ alpha: 1, beta: 0.5 }).fit(x).itemWeights);
    // W[i][j] = (1/pop_i) * sum over listeners of both of 1/deg_u, divided by sqrt(pop_j).
    const expected = [
      [0, ((1 / 2) * (1 / 2 + 1 / 3)) / Math.sqrt(3), (1 / 2) * (1 / 3)],
      [((1 / 3) * (1 / 2 + 1 / 3)) / Math.sqrt(2), 0, (1 / 3) * (1 / 3)],
      [(1 * (1 / 3)) / Math.sqrt(2), (1 * (1 / 3)) / Math.sqrt(3), 0],
    ].flat();
    expected.forEach((e, k) => expect(w[k], `W[${Math.floor(k / 3)}][${k % 3}]`).toBeCloseTo(e, 6));
  });

  it("scores a history as the sum of its items' rows, play counts ignored", () => {
    const model = new Rp3Beta({ alpha: 1, beta: 0.5 }).fit(x);
    // Listener 2's history is item 1 alone: row 1 of W.
    const out = model.scoreHistory(x, x.indptr[2], x.indptr[3], new Float32Array(3));
    expect(out[0]).toBeCloseTo(5 / 18 / Math.sqrt(2), 6);
    expect(out[1]).toBe(0);
    expect(out[2]).toBeCloseTo(1 / 9, 6);
    // Listener 0 (items 0 and 1): rows 0 and 1 summed.
    const both = model.scoreHistory(x, x.indptr[0], x.indptr[1], new Float32Array(3));
    expect(both[2]).toBeCloseTo(1 / 6 + 1 / 9, 6);
  });

  it("keeps each row's largest weights only", () => {
    const w = dense(new Rp3Beta({ alpha: 1, beta: 0.5, neighbours: 1 }).fit(x).itemWeights);
    // Row 0: W01 0.2406 > W02 0.1667; row 1: W10 0.1964 > W12 0.1111; row 2: W20 0.2357 > W21 0.1925.
    expect(w.map((v) => (v > 0 ? 1 : 0))).toEqual([0, 1, 0, 1, 0, 0, 1, 0, 0]);
  });

  it("with alpha 0 and beta 0 gives the co-listener counts", () => {
    const plays = randomPlays(30, 12, 5, 11);
    const w = dense(new Rp3Beta({ alpha: 0, beta: 0, neighbours: 100 }).fit(plays).itemWeights);
    const counts = new Array<number>(12 * 12).fill(0);
    for (let u = 0; u < plays.rows; u++) {
      const items = Array.from(plays.indices.subarray(plays.indptr[u], plays.indptr[u + 1]));
      for (const i of items) for (const j of items) if (i !== j) counts[i * 12 + j]++;
    }
    expect(counts.some((c) => c > 1)).toBe(true);
    expect(w).toEqual(counts);
  });

  it("rejects bad parameters and use before fit, naming the field", () => {
    expect(() => new Rp3Beta({ alpha: -1 })).toThrow(/alpha must be in 0..10, got -1/);
    expect(() => new Rp3Beta({ beta: Number.NaN })).toThrow(/beta must be/);
    expect(() => new Rp3Beta({ neighbours: 2.5 })).toThrow(/neighbours must be an integer in 1..1000000000, got 2.5/);
    expect(() => new Rp3Beta().itemWeights).toThrow(NotFittedError);
    const model = new Rp3Beta().fit(x);
    expect(() => model.scoreHistory(x, 0, 2, new Float32Array(2))).toThrow(/out must have the catalogue's 3 entries, got 2/);
  });
});
