import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.ts";
import { denseMatrix } from "./matrix.ts";
import { columnStats, standardiseColumns } from "./standardise.ts";
import { applyWhitening, fitWhitening } from "./whitening.ts";

/** Rows with a large shared offset, one strong correlated direction and small independent noise. */
function skewed(rows: number, cols: number, seed: number) {
  const random = seededRandom(seed);
  const m = denseMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const big = 10 * (random() - 0.5);
    for (let c = 0; c < cols; c++) m.data[r * cols + c] = 100 + big * (c + 1) + (random() - 0.5) * (c + 1) * 0.1;
  }
  return m;
}

function covariance(m: { rows: number; cols: number; data: Float32Array }) {
  const { mean } = columnStats(m);
  const d = m.cols,
    cov = new Float64Array(d * d);
  for (let r = 0; r < m.rows; r++)
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] += ((m.data[r * d + a] - mean[a]) * (m.data[r * d + b] - mean[b])) / m.rows;
  return cov;
}

describe("column standardisation and whitening", () => {
  it("z-scores have mean 0 and deviation 1 per column; a constant column becomes 0", () => {
    const m = skewed(200, 4, 1);
    for (let r = 0; r < 200; r++) m.data[r * 4 + 3] = 7;
    const z = standardiseColumns(m);
    const stats = columnStats(z);
    stats.mean.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-5));
    expect(stats.std.slice(0, 3).map((v) => Number(v.toFixed(4)))).toEqual([1, 1, 1]);
    expect(stats.std[3]).toBe(0);
    expect(() => standardiseColumns(m, { mean: [0, 0], std: [1, 1] })).toThrow("column stats have 2 means and 2 deviations for 4 columns");
  });

  it("whitening with a small shrinkage turns the covariance into (nearly) the identity", () => {
    const m = skewed(500, 5, 2);
    const cov = covariance(applyWhitening(m, fitWhitening(m, 1e-9)));
    for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) expect(cov[a * 5 + b]).toBeCloseTo(a === b ? 1 : 0, 2);
    // Before, one direction carries nearly all of the variance.
    const before = covariance(m);
    expect(before[4 * 5 + 4]).toBeGreaterThan(100 * 0.01);
  });

  it("a larger shrinkage whitens less: the strong direction keeps more weight than the noise", () => {
    const m = skewed(500, 3, 3);
    const eigenRatio = (shrinkage: number) => {
      const cov = covariance(applyWhitening(m, fitWhitening(m, shrinkage)));
      return cov[2 * 3 + 2] / cov[0];
    };
    expect(eigenRatio(1)).toBeGreaterThan(eigenRatio(0.01));
  });

  it("names what is wrong with its arguments", () => {
    const m = skewed(10, 3, 4);
    expect(() => fitWhitening(m, 0)).toThrow("shrinkage must be a finite number > 0, got 0");
    expect(() => applyWhitening(m, { mean: [0, 0], transform: [1, 0, 0, 1], shrinkage: 1 })).toThrow(
      "whitening has 2 means and 4 transform values for 3 columns",
    );
  });
});
