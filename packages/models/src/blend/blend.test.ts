import { describe, expect, it } from "vitest";
import { blendZScores, zScores } from "./normalize.ts";
import { mmrSelect } from "./mmr.ts";

describe("zScores", () => {
  it("standardises over eligible items only and gives missing scores the lowest value", () => {
    const z = zScores(Float32Array.from([1, 2, 3, 100, -Infinity]), Uint8Array.from([1, 1, 1, 0, 1]));
    expect(z[0]).toBeCloseTo(-Math.sqrt(1.5));
    expect(z[1]).toBeCloseTo(0);
    expect(z[2]).toBeCloseTo(Math.sqrt(1.5));
    expect(z[4]).toBeCloseTo(z[0]);
  });

  it("makes a source's scale irrelevant", () => {
    const eligible = new Uint8Array(4).fill(1);
    const small = blendZScores(
      [
        { weight: 1, scores: Float32Array.from([0.1, 0.2, 0.3, 0.4]) },
        { weight: 1, scores: Float32Array.from([4000, 3000, 2000, 1000]) },
      ],
      eligible,
      4,
    );
    // Opposite rankings with equal weight cancel exactly, whatever their scales.
    for (const v of small.total) expect(v).toBeCloseTo(0);
  });

  it("a weight of zero removes a source", () => {
    const r = blendZScores(
      [
        { weight: 0, scores: Float32Array.from([9, 1]) },
        { weight: 2, scores: Float32Array.from([1, 3]) },
      ],
      Uint8Array.from([1, 1]),
      2,
    );
    expect(r.total[1]).toBeGreaterThan(r.total[0]);
    expect(Array.from(r.parts[0])).toEqual([0, 0]);
  });
});

describe("mmrSelect", () => {
  // Items 0-2 are near-duplicates (same cluster), 3 is different and slightly less relevant.
  const cluster = [0, 0, 0, 1];
  const similarity = (a: number, b: number) => (cluster[a] === cluster[b] ? 0.95 : 0);
  const base = { candidates: [0, 1, 2, 3], relevance: [1, 0.99, 0.98, 0.9], similarity, k: 2 };

  it("with no diversity keeps relevance order", () => {
    expect(mmrSelect({ ...base, diversity: 0 })).toEqual([0, 1]);
  });

  it("with diversity prefers the different item over a near-duplicate", () => {
    expect(mmrSelect({ ...base, diversity: 0.5 })).toEqual([0, 3]);
  });

  it("honours hard constraints", () => {
    const picked = mmrSelect({ ...base, k: 3, diversity: 0, accept: (item) => item !== 1 });
    expect(picked).toEqual([0, 2, 3]);
  });
});
