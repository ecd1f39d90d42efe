import { describe, expect, it } from "vitest";
import { csrFromTriples, type Csr } from "../core/matrix.ts";
import { bm25Weights } from "./bm25.ts";

const matrix = (users: number, items: number, triples: [number, number, number][]): Csr =>
  csrFromTriples(users, items, {
    rows: Int32Array.from(triples, ([u]) => u),
    cols: Int32Array.from(triples, ([, i]) => i),
    values: Float32Array.from(triples, ([, , v]) => v),
  });

// Four listeners: total plays 8, 4, 12, 8 (mean 8); items 0 and 1 have two listeners each
// (idf log 4 - log 3), item 2 one (idf log 4 - log 2).
const plays = matrix(4, 3, [
  [0, 0, 2],
  [0, 1, 6],
  [1, 0, 4],
  [2, 2, 12],
  [3, 1, 8],
]);

describe("bm25Weights", () => {
  it("gives the hand-computed weights of a four-listener example (K1 2, B 0.5)", () => {
    const w = bm25Weights(plays, { k1: 2, b: 0.5 });
    const low = Math.log(4 / 3),
      high = Math.log(2);
    // Length norms 0.5 + 0.5 len/8: 1, 0.75, 1.25, 1; weight r (K1 + 1) / (K1 norm + r) idf.
    const expected = [(6 / 4) * low, (18 / 8) * low, (12 / 5.5) * low, (36 / 14.5) * high, (24 / 10) * low];
    expect(Array.from(w.indices)).toEqual([0, 1, 0, 2, 1]);
    expect(Array.from(w.indptr)).toEqual(Array.from(plays.indptr));
    Array.from(w.data).forEach((v, q) => expect(v).toBeCloseTo(expected[q], 5));
  });

  it("ignores listening length with B 0 and leaves the input untouched", () => {
    const before = Array.from(plays.data);
    const w = bm25Weights(plays, { k1: 2, b: 0 });
    // Norm 1 for everyone: listener 1's 4 plays of item 0 give 4 * 3 / (2 + 4) idf.
    expect(w.data[2]).toBeCloseTo(2 * Math.log(4 / 3), 5);
    expect(Array.from(plays.data)).toEqual(before);
  });

  it("gives 0, not a negative weight, to an item every listener has", () => {
    // Item 0: all three listeners (implicit's idf log 3 - log 4 < 0); item 1: one (idf log 3 - log 2).
    const everyone = matrix(3, 2, [
      [0, 0, 3],
      [0, 1, 1],
      [1, 0, 5],
      [2, 0, 4],
    ]);
    const w = bm25Weights(everyone);
    expect([w.data[0], w.data[2], w.data[3]]).toEqual([0, 0, 0]);
    expect(w.data[1]).toBeGreaterThan(0);
  });

  it("rejects bad parameters and negative strengths", () => {
    expect(() => bm25Weights(plays, { k1: 0 })).toThrow(/k1/);
    expect(() => bm25Weights(plays, { b: 1.5 })).toThrow(/b must/);
    expect(() => bm25Weights(matrix(1, 1, [[0, 0, -1]]))).toThrow(/>= 0/);
  });
});
