import { describe, expect, it } from "vitest";
import { csrFromTriples } from "../core/matrix.ts";
import { LogisticMf } from "./lmf.ts";
import { boardSize, checkerboard, droppedItem } from "./recommender-suite.ts";

const params = { factors: 2, iterations: 40, negativeSamples: 3, seed: 1 };

/** Score x_u . y_i + b_i of the fitted model (the order recommend uses). */
function score(m: LogisticMf, u: number, i: number): number {
  const k = m.userFactors.cols;
  let s = m.itemBias[i];
  for (let b = 0; b < k; b++) s += m.userFactors.data[u * k + b] * m.itemFactors.data[i * k + b];
  return s;
}

describe("LogisticMf with explicit negatives (skips, not for me)", () => {
  it("lowers the score of what a listener skipped, and only as much as the weight says", async () => {
    const plays = checkerboard();
    // Even listeners skipped the item they would otherwise like (their dropped item).
    const skippers = Array.from({ length: boardSize / 2 }, (_, j) => 2 * j);
    const negatives = csrFromTriples(plays.rows, plays.cols, {
      rows: Int32Array.from(skippers),
      cols: Int32Array.from(skippers, droppedItem),
      values: Float32Array.from(skippers, () => 2),
    });
    const plain = await new LogisticMf(params).fit(plays);
    const told = await new LogisticMf(params).fit(plays, { negatives });
    const ignored = await new LogisticMf({ ...params, negativeWeight: 0 }).fit(plays, { negatives });
    let lower = 0;
    for (const u of skippers) {
      if (score(told, u, droppedItem(u)) < score(plain, u, droppedItem(u))) lower++;
      // negativeWeight 0: the same fit as without negatives.
      expect(score(ignored, u, droppedItem(u))).toBeCloseTo(score(plain, u, droppedItem(u)), 5);
    }
    expect(lower).toBe(skippers.length);
    // The listeners who did not skip theirs lose much less on their dropped item than the skippers.
    const drop = (u: number) => score(plain, u, droppedItem(u)) - score(told, u, droppedItem(u));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const others = skippers.map((u) => u + 1);
    expect(mean(skippers.map(drop))).toBeGreaterThan(2 * Math.max(0, mean(others.map(drop))));
  });

  it("names a negatives matrix of the wrong shape or strength", async () => {
    const plays = checkerboard();
    const wrong = csrFromTriples(plays.rows, plays.cols + 1, { rows: Int32Array.of(0), cols: Int32Array.of(0), values: Float32Array.of(1) });
    await expect(new LogisticMf(params).fit(plays, { negatives: wrong })).rejects.toThrow(
      `negatives is ${plays.rows}x${plays.cols + 1} but userItems is ${plays.rows}x${plays.cols}`,
    );
    const zero = csrFromTriples(plays.rows, plays.cols, { rows: Int32Array.of(0), cols: Int32Array.of(1), values: Float32Array.of(-1) });
    await expect(new LogisticMf(params).fit(plays, { negatives: zero })).rejects.toThrow("negative strength must be finite and > 0, got -1");
  });
});
