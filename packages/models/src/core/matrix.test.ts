import { describe, expect, it } from "vitest";
import { csrFromTriples, transposeCsr } from "./matrix.ts";
import { TopK } from "./topk.ts";

describe("csrFromTriples", () => {
  it("sorts rows, sums duplicates and transposes back", () => {
    const m = csrFromTriples(2, 3, {
      rows: Int32Array.from([1, 0, 1, 1]),
      cols: Int32Array.from([2, 1, 0, 2]),
      values: Float32Array.from([1, 2, 3, 4]),
    });
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.data)).toEqual([2, 3, 5]);
    const t = transposeCsr(m);
    expect(t.rows).toBe(3);
    expect(Array.from(t.indptr)).toEqual([0, 1, 2, 3]);
    expect(Array.from(t.indices)).toEqual([1, 0, 1]);
    expect(Array.from(t.data)).toEqual([3, 2, 5]);
  });

  it("names the triple that is out of range", () => {
    expect(() => csrFromTriples(1, 1, { rows: Int32Array.from([0]), cols: Int32Array.from([4]), values: Float32Array.from([1]) })).toThrow(
      /column index 4 at triple 0/,
    );
  });
});

describe("TopK", () => {
  it("keeps the k best, best first", () => {
    const top = new TopK(3);
    [5, 1, 9, 3, 7, 2].forEach((s, i) => top.push(i, s));
    const { ids, scores } = top.sorted();
    expect(Array.from(ids)).toEqual([2, 4, 0]);
    expect(Array.from(scores)).toEqual([9, 7, 5]);
  });

  it("sorts like a plain sort, equal scores by lower id first", () => {
    for (const k of [1, 2, 7, 64]) {
      const top = new TopK(k);
      // Scores from a small set so that ties are common, ids pushed in a scrambled order.
      const pushed = Array.from({ length: 300 }, (_, j) => ({ id: (j * 37) % 300, score: ((j * 7919) % 13) / 4 }));
      for (const p of pushed) if (p.score > top.threshold) top.push(p.id, p.score);
      const { ids, scores } = top.sorted();
      const best = Array.from(scores);
      expect(best).toEqual(
        pushed
          .map((p) => p.score)
          .sort((a, b) => b - a)
          .slice(0, k),
      );
      for (let i = 1; i < ids.length; i++) if (scores[i] === scores[i - 1]) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
      expect(top.sorted().ids).toEqual(ids);
    }
  });
});
