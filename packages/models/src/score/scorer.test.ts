import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { gaussian, seededRandom } from "../core/random.ts";
import { createTopKScorer, FallbackTopKScorer, loadOnnxRuntime, scanQuery, type TopKResult } from "./index.ts";

function matrix(rows: number, cols: number, seed: number) {
  const random = seededRandom(seed);
  return { rows, cols, data: Float32Array.from({ length: rows * cols }, () => gaussian(random)) };
}

function row(r: TopKResult, q: number): number[] {
  return Array.from(r.items.subarray(q * r.k, q * r.k + r.found[q]));
}

const native = await loadOnnxRuntime();
const nativeIt = native ? it : it.skip;

describe("top-k scorers", () => {
  it("return a known answer, best first", async () => {
    const items = { rows: 4, cols: 2, data: Float32Array.from([1, 0, 0, 1, 2, 2, -1, -1]) };
    for (const backend of ["auto", "fallback"] as const) {
      const scorer = await createTopKScorer(items, { backend });
      const r = await scorer.topK({ queries: { rows: 2, cols: 2, data: Float32Array.from([1, 0, 0, -1]) }, k: 2 });
      expect(row(r, 0)).toEqual([2, 0]);
      expect(Array.from(r.scores.subarray(0, 2))).toEqual([2, 1]);
      expect(row(r, 1)).toEqual([3, 0]);
      await scorer.dispose();
    }
  });

  nativeIt("onnxruntime and WebAssembly give the same top-k over several padded track blocks", async () => {
    const items = matrix(3001, 20, 1),
      queries = matrix(300, 20, 2);
    const nativeScorer = await createTopKScorer(items, { backend: "native", trackBlock: 1000, group: 8, listenerBlock: 128 });
    expect(nativeScorer.backend).toBe("onnxruntime");
    const wasm = new FallbackTopKScorer(items);
    const plain = new FallbackTopKScorer(items, { simd: false });
    expect(plain.backend).toBe("js");
    const [a, b, c] = await Promise.all([nativeScorer, wasm, plain].map((s) => s.topK({ queries, k: 40 })));
    for (let q = 0; q < queries.rows; q++) {
      expect(row(a, q)).toEqual(row(b, q));
      expect(row(c, q)).toEqual(row(b, q));
      expect(row(b, q)).toEqual(Array.from(scanQuery(items, queries, q, 40).sorted().ids));
    }
    for (let i = 0; i < a.scores.length; i++) expect(a.scores[i]).toBeCloseTo(b.scores[i], 4);
    await nativeScorer.dispose();
  });

  nativeIt("applies the filter to candidates and stays exact when it drops more than the graph kept", async () => {
    const items = matrix(5000, 16, 3),
      queries = matrix(64, 16, 4);
    const heard = Array.from({ length: queries.rows }, (_, q) => new Set(scanQuery(items, queries, q, 60).sorted().ids));
    // Drop each query's own 60 best items and halve the odd rows: a heard-tracks rule and a penalty.
    const filter = (q: number, item: number, s: number) => (heard[q].has(item) ? -Infinity : item % 2 ? s - Math.abs(s) : s);
    const nativeScorer = await createTopKScorer(items, { backend: "native", trackBlock: 2048 });
    const r = await nativeScorer.topK({ queries, k: 30, filter });
    expect(r.rescanned).toBeGreaterThan(0);
    const withRoom = await (await createTopKScorer(items, { backend: "native", trackBlock: 2048, overFetch: 200 })).topK({ queries, k: 30, filter });
    expect(withRoom.rescanned).toBeLessThan(r.rescanned);
    const reference = await new FallbackTopKScorer(items).topK({ queries, k: 30, filter });
    for (let q = 0; q < queries.rows; q++) {
      expect(row(r, q)).toEqual(row(reference, q));
      expect(row(withRoom, q)).toEqual(row(reference, q));
      for (const item of row(r, q)) expect(heard[q].has(item)).toBe(false);
    }
  });

  nativeIt("with its defaults (one block, several listener blocks) returns the plain scan's top 100 of 20,000 tracks", async () => {
    const items = matrix(20_000, 32, 9),
      queries = matrix(300, 32, 10);
    const scorer = await createTopKScorer(items, { backend: "native" });
    const r = await scorer.topK({ queries, k: 100 });
    const byId = (ids: ArrayLike<number>) => Array.from(ids).sort((x, y) => x - y);
    for (let q = 0; q < queries.rows; q++) {
      const reference = scanQuery(items, queries, q, 100).sorted();
      // The same set; the order may differ where two scores agree to float32 rounding (the native
      // product sums in another order than the plain loop).
      expect(byId(row(r, q))).toEqual(byId(reference.ids));
      for (let j = 0; j < 100; j++) expect(r.scores[q * 100 + j]).toBeCloseTo(reference.scores[j], 3);
    }
    await scorer.dispose();
  });

  it("falls back to WebAssembly where onnxruntime cannot load, and says so when it is required", async () => {
    const items = matrix(500, 12, 5);
    const scorer = await createTopKScorer(items, { loadNative: async () => null });
    expect(scorer.backend).toBe("wasm");
    const r = await scorer.topK({ queries: matrix(3, 12, 6), k: 5 });
    expect(r.found[2]).toBe(5);
    await expect(createTopKScorer(items, { backend: "native", loadNative: async () => null })).rejects.toThrow(/onnxruntime-node could not be loaded/);
  });

  it("names a wrong request", async () => {
    const scorer = await createTopKScorer(matrix(10, 4, 7), { backend: "fallback" });
    await expect(scorer.topK({ queries: matrix(1, 3, 8), k: 2 })).rejects.toThrow(/queries must have 4 cols like the items, got 3/);
    await expect(scorer.topK({ queries: matrix(1, 4, 8), k: 0 })).rejects.toThrow(/k must be an integer 1..4096, got 0/);
  });

  it("importing the scorer does not load onnxruntime", () => {
    const probe = `import { createRequire } from "node:module"; await import(${JSON.stringify(new URL("./index.ts", import.meta.url).href)});
      const cache = createRequire(import.meta.url).cache; console.log(Object.keys(cache).some((p) => p.includes("onnxruntime-node")) ? "loaded" : "not loaded");`;
    const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { encoding: "utf8" });
    expect(out.stdout.trim()).toBe("not loaded");
  });
});
