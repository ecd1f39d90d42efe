import { describe, expect, it } from "vitest";
import { gaussian, seededRandom } from "../core/random.ts";
import { ExactIndex } from "./exact.ts";
import { HnswIndex } from "./hnsw.ts";
import { measureRecall } from "./recall.ts";
import { buildHnswAsync, buildNeighbourIndex } from "./build.ts";
import type { VectorSet } from "./vectors.ts";

/** Clustered vectors: `clusters` random centres with gaussian spread, like trained embeddings. */
function clustered(n: number, dim: number, clusters: number, seed: number): VectorSet {
  const random = seededRandom(seed);
  const centres = Float32Array.from({ length: clusters * dim }, () => gaussian(random));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * clusters);
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[c * dim + j] + 0.6 * gaussian(random);
  }
  return { ids: Int32Array.from({ length: n }, (_, i) => 1000 + i), dim, data };
}

describe("exact cosine top-k", () => {
  it("returns the known neighbours in order, scores are cosines, and honours exclusions", () => {
    const set: VectorSet = { ids: Int32Array.from([1, 2, 3, 4]), dim: 2, data: Float32Array.from([1, 0, 2, 0.1, 0, 1, -1, 0]) };
    const index = new ExactIndex(set);
    const r = index.search(Float32Array.from([1, 0]), 4);
    expect(Array.from(r.ids)).toEqual([1, 2, 3, 4]);
    expect(r.scores[0]).toBeCloseTo(1, 6);
    expect(r.scores[1]).toBeCloseTo(2 / Math.hypot(2, 0.1), 6);
    expect(r.scores[2]).toBeCloseTo(0, 6);
    expect(r.scores[3]).toBeCloseTo(-1, 6);
    expect(Array.from(index.search(Float32Array.from([1, 0]), 2, new Set([1])).ids)).toEqual([2, 3]);
  });

  it("names the wrong argument", () => {
    expect(() => new ExactIndex({ ids: Int32Array.from([1]), dim: 3, data: new Float32Array(2) })).toThrow(/data.length must be ids.length \* dim = 3, got 2/);
    const index = new ExactIndex({ ids: Int32Array.from([1]), dim: 2, data: new Float32Array(2) });
    expect(() => index.search(new Float32Array(3), 1)).toThrow(/query must have 2 values, got 3/);
    expect(() => index.search(new Float32Array(2), 0)).toThrow(/k must be an integer 1..10000, got 0/);
  });
});

describe("HNSW", () => {
  it("reaches recall@10 above 0.95 against exact search on 4,000 clustered 32-d vectors", () => {
    const set = clustered(4000, 32, 40, 3);
    const hnsw = new HnswIndex(set, { m: 12, efConstruction: 80, efSearch: 64 });
    const report = measureRecall(hnsw, new ExactIndex(set), { k: 10, queries: 200 });
    expect(report.recall).toBeGreaterThan(0.95);
  });

  it("finds a stored vector itself first, and a lower ef gives no better recall than a higher one", () => {
    const set = clustered(2000, 16, 20, 5);
    const hnsw = new HnswIndex(set, { m: 8, efConstruction: 40 });
    const exact = new ExactIndex(set);
    const row = 777;
    expect(hnsw.search(set.data.subarray(row * 16, row * 16 + 16), 1).ids[0]).toBe(set.ids[row]);
    hnsw.efSearch = 10;
    const low = measureRecall(hnsw, exact, { k: 10, queries: 150 }).recall;
    hnsw.efSearch = 200;
    const high = measureRecall(hnsw, exact, { k: 10, queries: 150 }).recall;
    expect(high).toBeGreaterThanOrEqual(low);
    expect(high).toBeGreaterThan(0.97);
  });

  it("buildNeighbourIndex picks exact for small sets and HNSW with measured recall for large ones", () => {
    const small = buildNeighbourIndex(clustered(300, 8, 5, 9));
    expect(small.index.kind).toBe("exact");
    expect(small.recall.recall).toBe(1);
    const large = buildNeighbourIndex(clustered(1500, 8, 10, 9), { exactUpTo: 1000, recallQueries: 100 });
    expect(large.index.kind).toBe("hnsw");
    expect(large.recall.queries).toBe(100);
    expect(large.recall.recall).toBeGreaterThan(0.9);
  });

  it("builds in slices that yield to the event loop, and refuses to answer half built", async () => {
    const set = clustered(1200, 8, 10, 4);
    const partial = new HnswIndex(set, { deferBuild: true });
    partial.insertRows(0, 100);
    expect(() => partial.search(new Float32Array(8), 3)).toThrow(/still building: 100 of 1200 rows inserted/);
    expect(() => partial.insertRows(300, 400)).toThrow(/next is 100, got 300/);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const built = await buildHnswAsync(set, { sliceRows: 100, recallQueries: 50 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(built.index.kind).toBe("hnsw");
    expect(built.recall.recall).toBeGreaterThan(0.9);
  });
});
