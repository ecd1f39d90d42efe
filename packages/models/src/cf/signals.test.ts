import { describe, expect, it } from "vitest";
import { csrFromTriples } from "../core/matrix.ts";
import { combineSignals, confidenceMatrix } from "./signals.ts";

const csr = (triples: [number, number, number][]) =>
  csrFromTriples(2, 3, {
    rows: Int32Array.from(triples.map((t) => t[0])),
    cols: Int32Array.from(triples.map((t) => t[1])),
    values: Float32Array.from(triples.map((t) => t[2])),
  });

describe("combineSignals", () => {
  it("sums the weighted signals into one strength per (user, track)", () => {
    const streams = csr([
      [0, 0, 10],
      [0, 2, 4],
      [1, 1, 1],
    ]);
    const saves = csr([
      [0, 2, 1],
      [1, 0, 1],
    ]);
    const visits = csr([[1, 1, 6]]);
    const m = combineSignals({ streams, saves, visits }, { streams: 1, saves: 5, visits: 0.5 });
    expect(Array.from(m.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(m.indices)).toEqual([0, 2, 0, 1]);
    expect(Array.from(m.data)).toEqual([10, 9, 5, 4]);
  });

  it("drops entries whose weight is zero and rejects mismatched shapes", () => {
    const streams = csr([[0, 0, 3]]);
    const visits = csr([[1, 2, 7]]);
    const m = combineSignals({ streams, visits }, { visits: 0 });
    expect(Array.from(m.indices)).toEqual([0]);
    const wide = { ...streams, cols: 4 };
    expect(() => combineSignals({ streams, saves: wide })).toThrow("saves is 2x4 but streams is 2x3");
    expect(() => combineSignals({ streams }, { saves: -1 })).toThrow("weights.saves must be a finite number >= 0, got -1");
  });
});

describe("confidenceMatrix", () => {
  it("computes 1 + alpha f(r) for raw and log1p", () => {
    const m = csr([[0, 1, 3]]);
    expect(confidenceMatrix(m, 2, "raw").data[0]).toBe(7);
    expect(confidenceMatrix(m, 2, "log1p").data[0]).toBeCloseTo(1 + 2 * Math.log(4), 5);
  });
});
