import { describe, expect, it } from "vitest";
import { ExactIndex } from "../ann/exact.ts";
import { gaussian, seededRandom } from "../core/random.ts";
import { BlendIndex, blendCandidates, innerProductAsCosine, jointItems, jointQuery, loadUsearch, ScoreMoments, type BlendSource } from "./index.ts";

/** Rows with lengths spread over a factor of about 10, so inner-product and cosine rankings differ. */
function items(rows: number, cols: number, seed: number) {
  const random = seededRandom(seed);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const length = Math.exp(0.6 * gaussian(random));
    for (let c = 0; c < cols; c++) data[r * cols + c] = length * gaussian(random);
  }
  return { rows, cols, data };
}

function vector(cols: number, random: () => number) {
  return Float32Array.from({ length: cols }, () => gaussian(random));
}

/** Exact top k of items . query by a full sort. */
function mipsTopK(m: { rows: number; cols: number; data: Float32Array }, query: Float32Array, k: number): number[] {
  const scores = Array.from({ length: m.rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < m.cols; c++) s += m.data[r * m.cols + c] * query[c];
    return s;
  });
  return scores
    .map((s, r) => [s, r] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, r]) => r);
}

const usearchIt = loadUsearch() ? it : it.skip;

describe("two-stage retrieval", () => {
  it("inner-product search becomes cosine search on the augmented vectors: exhaustive cosine top-k is the inner-product top-k", () => {
    const m = items(600, 12, 1);
    const augmented = innerProductAsCosine(m);
    expect(augmented.cols).toBe(13);
    // Every augmented row has the length of the longest original row.
    const lengths = Array.from({ length: m.rows }, (_, r) => Math.hypot(...augmented.data.subarray(r * 13, r * 13 + 13)));
    const longest = Math.max(...lengths);
    for (const l of lengths) expect(l).toBeCloseTo(longest, 4);
    const exact = new ExactIndex({ ids: Int32Array.from({ length: m.rows }, (_, i) => i), dim: 13, data: augmented.data });
    const random = seededRandom(2);
    let cosineOfRawDiffers = false;
    for (let q = 0; q < 20; q++) {
      const query = vector(12, random);
      const want = mipsTopK(m, query, 10);
      const padded = new Float32Array(13);
      padded.set(query);
      expect(Array.from(exact.search(padded, 10).ids)).toEqual(want);
      // Without the transform, cosine ranks differently: the test would notice a transform that did nothing.
      const raw = new ExactIndex({ ids: Int32Array.from({ length: m.rows }, (_, i) => i), dim: 12, data: m.data });
      if (Array.from(raw.search(query, 10).ids).join() !== want.join()) cosineOfRawDiffers = true;
    }
    expect(cosineOfRawDiffers).toBe(true);
  });

  it("the joint query's inner product with the joint items is the blended score, and blending every item gives the exact top-k", () => {
    const models = [items(300, 8, 3), items(300, 5, 4)];
    const random = seededRandom(5);
    const sources: BlendSource[] = models.map((y, s) => ({ items: y, query: vector(y.cols, random), scale: [0.7, 1.9][s] }));
    const joint = jointItems(models);
    const q = jointQuery(sources);
    expect(joint.cols).toBe(13);
    const blended = (i: number) =>
      sources.reduce((a, { items: y, query, scale }) => a + scale * query.reduce((b, x, j) => b + x * y.data[i * y.cols + j], 0), 0);
    for (const i of [0, 17, 299]) {
      let s = 0;
      for (let c = 0; c < 13; c++) s += joint.data[i * 13 + c] * q[c];
      expect(s).toBeCloseTo(blended(i), 4);
    }
    const all = Int32Array.from({ length: 300 }, (_, i) => i);
    expect(Array.from(blendCandidates(sources, all, 15).ids)).toEqual(mipsTopK(joint, q, 15));
    // A filter that drops even items leaves only odd ones.
    const odd = blendCandidates(sources, all, 15, (i, s) => (i % 2 ? s : -Infinity));
    expect(Array.from(odd.ids).every((i) => i % 2 === 1)).toBe(true);
  });

  it("score moments match the mean and spread computed over the items", () => {
    // Both column parities (an odd last column pairs with a zero one) and row counts below,
    // at and across the Gram's 256-row block.
    for (const [rows, d] of [
      [400, 6],
      [400, 7],
      [3, 5],
      [256, 4],
    ]) {
      const m = items(rows, d, d);
      const q = vector(d, seededRandom(7));
      const scores = Array.from({ length: rows }, (_, r) => m.data.subarray(r * d, r * d + d).reduce((a, x, j) => a + x * q[j], 0));
      const mean = scores.reduce((a, b) => a + b, 0) / rows;
      const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / rows);
      const got = new ScoreMoments(m).of(q);
      expect(got.mean).toBeCloseTo(mean, 10);
      expect(got.std).toBeCloseTo(std, 10);
    }
  });

  usearchIt("the index with a candidate count of the whole catalogue returns the exact blended top-k, for both metrics", () => {
    const models = [items(400, 10, 8), items(400, 6, 9)];
    const random = seededRandom(10);
    for (const metric of ["inner-product", "augmented-cosine"] as const) {
      const index = BlendIndex.build(models, { metric, quantization: "f32", threads: 1 });
      expect(index.size).toBe(400);
      for (let u = 0; u < 5; u++) {
        const sources = models.map((y, s) => ({ items: y, query: vector(y.cols, random), scale: s ? 0.5 : 1 }));
        const want = mipsTopK(jointItems(models), jointQuery(sources), 10);
        // Every item reached: the candidates are the whole catalogue, so the top 10 is exact.
        const candidates = index.candidates(sources, 400);
        expect(new Set(candidates).size).toBeGreaterThanOrEqual(395);
        expect(Array.from(index.topK(sources, 400, 10).ids)).toEqual(want);
      }
      expect(() => index.candidates([{ items: models[0], query: new Float32Array(10), scale: 1 }], 10)).toThrow(/sources must hold 2 models/);
    }
  });
});
