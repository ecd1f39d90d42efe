import { describe, expect, it } from "vitest";
import { csrFromTriples } from "../core/index.ts";
import { coMentionVectors } from "./co-mention.ts";

/** Articles x artists, one row per article listing the artists it names. */
function articles(n: number, named: number[][]) {
  const rows = named.flatMap((list, r) => list.map(() => r));
  const cols = named.flat();
  return csrFromTriples(named.length, n, { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: new Float32Array(rows.length).fill(1) });
}

const cosine = (v: Float32Array, d: number, a: number, b: number) => {
  let s = 0;
  for (let j = 0; j < d; j++) s += v[a * d + j] * v[b * d + j];
  return s;
};

describe("coMentionVectors", () => {
  it("puts artists written about with the same others close, even if never together", () => {
    // Two scenes: 0-3 and 4-7. Artists 0 and 3 never share an article, but both share articles with 1 and 2.
    const scenes = [[0, 1, 2], [1, 2, 3], [0, 1], [2, 3], [4, 5, 6], [5, 6, 7], [4, 5], [6, 7], [3, 4], [8]];
    const e = coMentionVectors(articles(9, scenes), { dims: 4 });
    // Artist 8 is only ever written about alone: no vector.
    expect(Array.from(e.artists)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(e.articles).toBe(10);
    const d = e.dims;
    for (let r = 0; r < e.vectors.rows; r++) expect(cosine(e.vectors.data, d, r, r)).toBeCloseTo(1, 5);
    expect(cosine(e.vectors.data, d, 0, 3)).toBeGreaterThan(cosine(e.vectors.data, d, 0, 5));
    expect(cosine(e.vectors.data, d, 0, 3)).toBeGreaterThan(cosine(e.vectors.data, d, 0, 7));
    expect(cosine(e.vectors.data, d, 4, 7)).toBeGreaterThan(cosine(e.vectors.data, d, 4, 1));
  });

  it("counts only positive PMI pairs and is deterministic for a seed", () => {
    // 0 and 1 always together (PMI ln 2 > 0); 2 with everyone equally often as chance predicts.
    const named = [[0, 1], [0, 1], [2], [2]];
    const e = coMentionVectors(articles(3, named));
    expect(Array.from(e.artists)).toEqual([0, 1]);
    expect(e.pairs).toBe(2);
    expect(coMentionVectors(articles(3, named)).vectors.data).toEqual(e.vectors.data);
  });

  it("gives no vectors when no two artists share an article", () => {
    const e = coMentionVectors(articles(3, [[0], [1], []]));
    expect([e.artists.length, e.vectors.rows, e.dims, e.articles]).toEqual([0, 0, 0, 2]);
  });
});
