import { describe, expect, it } from "vitest";
import { denseMatrix, seededRandom } from "../core/index.ts";
import { neighbourReport } from "./neighbours.ts";

describe("neighbourReport", () => {
  it("finds clustered labels, the exact chance level, and the spread of scores", () => {
    const random = seededRandom(5);
    // Three labelled clusters of 20 rows around orthogonal directions, with noise.
    const m = denseMatrix(60, 3);
    const labels = Array.from({ length: 60 }, (_, r) => r % 3);
    for (let r = 0; r < 60; r++) for (let c = 0; c < 3; c++) m.data[r * 3 + c] = (c === labels[r] ? 1 : 0) + 0.2 * (random() - 0.5);
    const report = neighbourReport(m, labels, 5);
    expect(report.labelAgreement).toBe(1);
    // 19 of the 59 other rows share a row's label.
    expect(report.randomAgreement).toBeCloseTo(19 / 59, 10);
    expect(report.scoreQuantiles.p10).toBeLessThanOrEqual(report.scoreQuantiles.p90);
    expect(report.meanTopKRange).toBeGreaterThan(0);
    expect(report.allPairsQuantiles.p50).toBeLessThan(report.scoreQuantiles.p10);
  });

  it("identical rows all tie at 1 with no range", () => {
    const m = denseMatrix(4, 2, Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1]));
    const report = neighbourReport(m, ["a", "a", "b", "b"], 2);
    expect(report.scoreQuantiles.p10).toBeCloseTo(1, 6);
    expect(report.meanTopKRange).toBeCloseTo(0, 6);
  });

  it("names what is wrong with its arguments", () => {
    const m = denseMatrix(4, 2);
    expect(() => neighbourReport(m, [1, 2], 2)).toThrow("labels has 2 entries for 4 vectors");
    expect(() => neighbourReport(m, [1, 2, 3, 4], 4)).toThrow("k must be 1..3 (rows - 1), got 4");
  });
});
