import { describe, expect, it } from "vitest";
import { denseMatrix } from "../../core/index.ts";
import { coldStartAuc } from "./cold-start-auc.ts";

describe("coldStartAuc", () => {
  // One factor per user: 1, 2, 3, 4, so an item vector [v] scores user u as v * (u + 1).
  const users = denseMatrix(4, 1, Float32Array.from([1, 2, 3, 4]));

  it("matches hand-counted pairs, with ties counting half and degenerate items skipped", () => {
    const items = denseMatrix(5, 1, Float32Array.from([1, -1, 0, 1, 1]));
    const positives = [
      Int32Array.from([3, 1]), // scores 4 and 2 against 1 and 3: 3 of 4 pairs ordered right
      Int32Array.from([0]), // the top scorer at -1: 1
      Int32Array.from([2]), // all tied at 0: 0.5
      Int32Array.from([]), // no listener: skipped
      Int32Array.from([0, 1, 2, 3]), // no non-listener: skipped
    ];
    expect(coldStartAuc(items, users, positives)).toBeCloseTo((0.75 + 1 + 0.5) / 3, 12);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one, NaN when nothing can be scored", () => {
    const item = denseMatrix(1, 1, Float32Array.from([1]));
    expect(coldStartAuc(item, users, [Int32Array.from([2, 3])])).toBe(1);
    expect(coldStartAuc(item, users, [Int32Array.from([0, 1])])).toBe(0);
    expect(coldStartAuc(item, users, [Int32Array.from([])])).toBeNaN();
  });

  it("names mismatched sizes and out-of-range users", () => {
    const item = denseMatrix(1, 1, Float32Array.from([1]));
    expect(() => coldStartAuc(item, denseMatrix(4, 2), [Int32Array.from([0])])).toThrow("userFactors have 2 columns, predicted item vectors 1");
    expect(() => coldStartAuc(item, users, [])).toThrow("heldOutPositives has 0 lists for 1 items");
    expect(() => coldStartAuc(item, users, [Int32Array.from([4])])).toThrow("heldOutPositives[0] has user 4, outside 0..3");
  });
});
