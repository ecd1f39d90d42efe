import { describe, expect, it } from "vitest";
import { blendZScores, zScores } from "./normalise.ts";
import { mmrSelect } from "./mmr.ts";
import { seededRandom } from "../core/random.ts";

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

  it("never compares a candidate the constraints already refuse", () => {
    // Items 0-4 by artist A lead the relevance, 5-9 by artist B follow; one track per artist.
    const artist = (i: number) => (i < 5 ? "A" : "B");
    const compared: [number, number][] = [];
    const picked = mmrSelect({
      candidates: Array.from({ length: 10 }, (_, i) => i),
      relevance: Array.from({ length: 10 }, (_, i) => 1 - i / 20),
      similarity: (a, b) => (compared.push([a, b]), artist(a) === artist(b) ? 0.9 : 0.1),
      diversity: 0.5,
      k: 3,
      accept: (item, so) => !so.some((j) => artist(j) === artist(item)),
    });
    expect(picked).toEqual([0, 5]);
    // Only item 5 is compared (with the pick before it); A's other tracks, refused once 0 is
    // picked, are dropped without a comparison, as are B's once 5 is.
    expect(compared).toEqual([[5, 0]]);
  });

  /** The textbook loop: every candidate's max similarity brought up to date after every pick. */
  function eagerMmr(o: Parameters<typeof mmrSelect>[0]): number[] {
    const n = o.candidates.length;
    const lo = Math.min(...Array.from(o.relevance)),
      hi = Math.max(...Array.from(o.relevance));
    const rel = Array.from(o.relevance, (r) => (r - lo) / (hi - lo > 0 ? hi - lo : 1));
    const maxSim = new Array<number>(n).fill(-1);
    const used = new Array<boolean>(n).fill(false);
    const picked: number[] = [];
    while (picked.length < o.k) {
      let best = -1,
        bestValue = -Infinity;
      for (let i = 0; i < n; i++) {
        const value = (1 - o.diversity) * rel[i] - o.diversity * (picked.length ? Math.max(0, maxSim[i]) : 0);
        if (!used[i] && value > bestValue) [best, bestValue] = [i, value];
      }
      if (best < 0) break;
      used[best] = true;
      if (o.accept && !o.accept(o.candidates[best], picked)) continue;
      picked.push(o.candidates[best]);
      if (o.diversity > 0) for (let i = 0; i < n; i++) if (!used[i]) maxSim[i] = Math.max(maxSim[i], o.similarity(o.candidates[i], o.candidates[best]));
    }
    return picked;
  }

  it("picks what the eager loop picks, with far fewer similarities (random vectors, ties, constraints)", () => {
    const random = seededRandom(5);
    let lazyCalls = 0,
      eagerCalls = 0;
    for (let trial = 0; trial < 40; trial++) {
      const n = 50 + Math.floor(random() * 250),
        dim = 8;
      const vectors = Array.from({ length: n }, () => Array.from({ length: dim }, () => random() - 0.5));
      // Coarse relevance, best first as the blend's head is, with ties.
      const relevance = Array.from({ length: n }, () => Math.round(random() * 20) / 20).sort((a, b) => b - a);
      const similarity = (a: number, b: number) => vectors[a].reduce((s, x, c) => s + x * vectors[b][c], 0);
      const candidates = Array.from({ length: n }, (_, i) => i).reverse();
      const artist = (i: number) => i % 20;
      const options = {
        candidates,
        relevance,
        diversity: [0, 0.2, 0.5, 1][trial % 4],
        k: 30,
        accept: (item: number, so: readonly number[]) => so.filter((j) => artist(j) === artist(item)).length < 3,
      };
      const lazy = mmrSelect({ ...options, similarity: (a, b) => (lazyCalls++, similarity(a, b)) });
      const eager = eagerMmr({ ...options, similarity: (a, b) => (eagerCalls++, similarity(a, b)) });
      expect(lazy).toEqual(eager);
      expect(lazy.length).toBe(30);
    }
    expect(lazyCalls).toBeLessThan(eagerCalls / 2);
  });
});
