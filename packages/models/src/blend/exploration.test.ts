import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { explorationRandom, withExploration } from "./exploration.ts";

const pool = Array.from({ length: 100 }, (_, i) => i);
const artistOf = (row: number) => Math.floor(row / 4);
/** At most 2 tracks by one artist, as the blend's artist cap. */
const cap = (row: number, chosen: readonly number[]) => chosen.filter((j) => artistOf(j) === artistOf(row)).length < 2;

describe("exploration slots", () => {
  it("keeps the blend's best picks, draws the rest from the pool with logged probabilities, under the constraints", () => {
    const picked = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17];
    const out = withExploration(picked, pool, 10, 3, seededRandom(5), cap);
    expect(out).toHaveLength(10);
    const exploit = out.filter((s) => !s.explored);
    expect(exploit.map((s) => s.row)).toEqual(picked.slice(0, 7));
    expect(exploit.every((s) => s.propensity === 1)).toBe(true);
    const explored = out.filter((s) => s.explored);
    expect(explored).toHaveLength(3);
    // Each drawn track is one the constraints accept beside the blend's picks.
    const chosen = exploit.map((s) => s.row);
    for (const e of explored) expect(cap(e.row, chosen) && !chosen.includes(e.row)).toBe(true);
    // Without constraints the candidates are the pool less what is chosen: 93, then 92, then 91.
    const free = withExploration(picked, pool, 10, 3, seededRandom(5), () => true)
      .filter((s) => s.explored)
      .map((s) => s.propensity);
    expect(free.sort((a, b) => a - b)).toEqual([1 / 93, 1 / 92, 1 / 91]);
    expect(new Set(out.map((s) => s.row)).size).toBe(10);
  });

  it("draws every candidate about equally often, so the logged probabilities are right", () => {
    const counts = new Map<number, number>();
    const random = seededRandom(9);
    const runs = 4000;
    for (let r = 0; r < runs; r++) {
      for (const s of withExploration([0, 1], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2, 1, random, () => true))
        if (s.explored) {
          expect(s.propensity).toBeCloseTo(1 / 10, 12);
          counts.set(s.row, (counts.get(s.row) ?? 0) + 1);
        }
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Binomial(4000, 0.1): mean 400, sd 19; 5 sd either way.
    for (const n of counts.values()) expect(Math.abs(n - 400)).toBeLessThan(95);
  });

  it("fills from the blend when the pool runs dry, and is the same for the same listener, week and version", () => {
    const out = withExploration([0, 1, 2, 3], [0, 1, 2, 3], 4, 2, seededRandom(1), () => true);
    expect(out.map((s) => s.row).sort()).toEqual([0, 1, 2, 3]);
    expect(
      out
        .filter((s) => s.explored)
        .map((s) => s.propensity)
        .sort(),
    ).toEqual([0.5, 1]);
    const draw = (r: () => number) => withExploration([0, 1, 4, 5], pool, 30, 3, r, cap).map((s) => s.row);
    expect(draw(explorationRandom(7, "2026-11-23", 2))).toEqual(draw(explorationRandom(7, "2026-11-23", 2)));
    expect(draw(explorationRandom(7, "2026-11-23", 2))).not.toEqual(draw(explorationRandom(7, "2026-11-30", 2)));
  });
});
