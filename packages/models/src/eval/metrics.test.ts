import { describe, expect, it } from "vitest";
import { rankingMetrics, userMetricsAt } from "./metrics.ts";

describe("userMetricsAt", () => {
  it("scores a known ranking", () => {
    // Relevant items 1 and 3 found at ranks 1 and 3 of 10.
    const m = userMetricsAt([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 3], 10);
    expect(m.precision).toBeCloseTo(0.2);
    expect(m.recall).toBeCloseTo(1);
    expect(m.ap).toBeCloseTo((1 / 1 + 2 / 3) / 2);
    const idcg = 1 + 1 / Math.log2(3);
    expect(m.ndcg).toBeCloseTo((1 + 1 / Math.log2(4)) / idcg);
  });

  it("uses min(k, |relevant|) as the recall denominator", () => {
    const relevant = Array.from({ length: 30 }, (_, i) => i);
    const m = userMetricsAt(relevant.slice(0, 10), relevant, 10);
    expect(m.recall).toBe(1);
    expect(m.precision).toBe(1);
  });

  it("gives zero when nothing relevant is ranked", () => {
    const m = userMetricsAt([5, 6, 7], [1], 10);
    expect(m).toEqual({ precision: 0, recall: 0, ndcg: 0, ap: 0 });
  });
});

describe("rankingMetrics", () => {
  it("skips users without held-out items and measures coverage", () => {
    const m = rankingMetrics(
      [
        { ranked: [0, 1], relevant: [0] },
        { ranked: [2, 3], relevant: [] },
      ],
      10,
    );
    expect(m.users).toBe(1);
    expect(m["recall@20"]).toBe(1);
    expect(m.coverage).toBeCloseTo(0.2);
  });
});
