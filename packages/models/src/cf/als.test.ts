import { describe, expect, it } from "vitest";
import { CancelledError } from "../core/errors.ts";
import { seededRandom } from "../core/random.ts";
import { transposeCsr } from "../core/matrix.ts";
import { RowScratch, solveRowsCg, solveRowsCholesky } from "./als-rows.ts";
import { ImplicitAls } from "./als.ts";
import { solveRowsBatchedCg } from "./batched-cg.ts";
import { cpuKernels } from "./kernels-cpu.ts";
import { confidenceMatrix } from "./signals.ts";
import { maxAbsDiff, randomPlays } from "./test-fixtures.ts";

const k = 8;
const plays = randomPlays(120, 80, 10, 31);
const conf = confidenceMatrix(plays, 1, "log1p");

function rowProblem(seed: number) {
  const random = seededRandom(seed);
  const fixed = Float32Array.from({ length: plays.cols * k }, () => random() - 0.5);
  const gram = Float64Array.from(cpuKernels.gram({ rows: plays.cols, cols: k, data: fixed }));
  for (let d = 0; d < k; d++) gram[d * k + d] += 0.05;
  const solving = Float32Array.from({ length: plays.rows * k }, () => random() * 0.01);
  return { k, solving, fixed, gram, indptr: conf.indptr, indices: conf.indices, confidence: conf.data };
}

describe("row solvers", () => {
  it("conjugate gradient with k steps reaches the exact Cholesky solution", () => {
    const cg = rowProblem(1),
      exact = rowProblem(1);
    solveRowsCg(cg, 0, plays.rows, k, new RowScratch(k, false));
    solveRowsCholesky(exact, 0, plays.rows, new RowScratch(k, true));
    expect(maxAbsDiff(cg.solving, exact.solving)).toBeLessThan(1e-3);
  });

  it("the exact solution satisfies the normal equations of Hu et al. eq. 4", () => {
    const pr = rowProblem(2);
    solveRowsCholesky(pr, 0, plays.rows, new RowScratch(k, true));
    const u = 17,
      x = pr.solving.subarray(u * k, u * k + k);
    for (let a = 0; a < k; a++) {
      let lhs = 0,
        rhs = 0;
      for (let b = 0; b < k; b++) lhs += pr.gram[a * k + b] * x[b];
      for (let q = conf.indptr[u]; q < conf.indptr[u + 1]; q++) {
        const y = pr.fixed.subarray(conf.indices[q] * k, conf.indices[q] * k + k);
        lhs += (conf.data[q] - 1) * y[a] * y.reduce((t, v, b) => t + v * x[b], 0);
        rhs += conf.data[q] * y[a];
      }
      expect(lhs).toBeCloseTo(rhs, 3);
    }
  });

  it("the Woodbury path for short rows gives the same solution as forming A_u", () => {
    // Item side of a sparse matrix: most rows hold 0 to 3 entries, where Woodbury is cheaper.
    const wide = 24;
    const items = confidenceMatrix(transposeCsr(randomPlays(60, 200, 4, 77)), 1, "log1p");
    const random = seededRandom(6);
    const fixed = Float32Array.from({ length: 60 * wide }, () => random() - 0.5);
    const gram = Float64Array.from(cpuKernels.gram({ rows: 60, cols: wide, data: fixed }));
    for (let d = 0; d < wide; d++) gram[d * wide + d] += 0.05;
    const problem = () => ({
      k: wide,
      solving: new Float32Array(200 * wide),
      fixed,
      gram,
      indptr: items.indptr,
      indices: items.indices,
      confidence: items.data,
    });
    const viaWoodbury = problem(),
      direct = problem();
    solveRowsCholesky(viaWoodbury, 0, 200, new RowScratch(wide, true), true);
    solveRowsCholesky(direct, 0, 200, new RowScratch(wide, true), false);
    expect(maxAbsDiff(viaWoodbury.solving, direct.solving)).toBeLessThan(1e-4);
    expect(direct.solving.some((v) => Math.abs(v) > 0.1)).toBe(true);
  });

  it("batched CG over kernel calls matches the fused per-row CG", () => {
    const fused = rowProblem(3),
      batched = rowProblem(3);
    solveRowsCg(fused, 0, plays.rows, 3, new RowScratch(k, false));
    solveRowsBatchedCg(cpuKernels, batched, plays.rows, 3, 50);
    expect(maxAbsDiff(fused.solving, batched.solving)).toBeLessThan(1e-4);
  });
});

describe("ImplicitAls.fit", () => {
  for (const simd of [true, false]) {
    it(`gives identical factors on 1 and 2 threads (${simd ? "SIMD" : "float64"} kernels)`, async () => {
      const one = await new ImplicitAls({ factors: k, iterations: 4, threads: 1, seed: 9, simd }).fit(plays);
      const two = await new ImplicitAls({ factors: k, iterations: 4, threads: 2, seed: 9, simd }).fit(plays);
      expect(Array.from(two.userFactors.data)).toEqual(Array.from(one.userFactors.data));
      expect(Array.from(two.itemFactors.data)).toEqual(Array.from(one.itemFactors.data));
    });
  }

  it("trains the same model with the SIMD float32 kernels as with the float64 loops", async () => {
    const simd = await new ImplicitAls({ factors: k, iterations: 2, threads: 1, seed: 12, simd: true }).fit(plays);
    const plain = await new ImplicitAls({ factors: k, iterations: 2, threads: 1, seed: 12, simd: false }).fit(plays);
    expect(maxAbsDiff(simd.userFactors.data, plain.userFactors.data)).toBeLessThan(2e-3);
    expect(maxAbsDiff(simd.itemFactors.data, plain.itemFactors.data)).toBeLessThan(2e-3);
    expect(simd.itemFactors.data.some((v) => Math.abs(v) > 0.05)).toBe(true);
  });

  it("reports progress per iteration and stops when aborted", async () => {
    const seen: [number, number][] = [];
    await new ImplicitAls({ factors: k, iterations: 3, threads: 1 }).fit(plays, { onIteration: (it, total) => seen.push([it, total]) });
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    const controller = new AbortController();
    const fit = new ImplicitAls({ factors: k, iterations: 50, threads: 2 }).fit(plays, {
      signal: controller.signal,
      onIteration: (it) => {
        if (it === 2) controller.abort();
      },
    });
    await expect(fit).rejects.toThrow(CancelledError);
  });

  it("lowers the weighted squared error of Hu et al. eq. 3 as it trains", async () => {
    const loss = (m: ImplicitAls) => {
      let total = 0;
      const x = m.userFactors.data,
        y = m.itemFactors.data;
      for (let u = 0; u < plays.rows; u++) {
        for (let q = conf.indptr[u]; q < conf.indptr[u + 1]; q++) {
          let s = 0;
          for (let b = 0; b < k; b++) s += x[u * k + b] * y[conf.indices[q] * k + b];
          total += conf.data[q] * (1 - s) ** 2;
        }
      }
      return total;
    };
    const short = await new ImplicitAls({ factors: k, iterations: 1, threads: 1, seed: 4 }).fit(plays);
    const long = await new ImplicitAls({ factors: k, iterations: 8, threads: 1, seed: 4 }).fit(plays);
    expect(loss(long)).toBeLessThan(loss(short));
  });

  it("validates parameters and input with what and how much", async () => {
    expect(() => new ImplicitAls({ factors: 0 })).toThrow("factors must be an integer in 1..1024, got 0");
    expect(() => new ImplicitAls({ solver: "lu" as never })).toThrow(/solver must be "cg" or "cholesky", got "lu"/);
    const bad = { ...plays, data: plays.data.map((v, i) => (i === 5 ? -1 : v)) };
    await expect(new ImplicitAls({ factors: 2, threads: 1 }).fit(bad)).rejects.toThrow(/must be finite and >= 0, got -1 at entry 5/);
  });
});

describe("ImplicitAls.fromFactors (factors trained elsewhere, e.g. Spark)", () => {
  it("serves the given factors and survives save/load", () => {
    const users = { rows: 2, cols: 3, data: Float32Array.from([1, 0, 0, 0, 1, 0]) };
    const items = { rows: 3, cols: 3, data: Float32Array.from([1, 0, 0, 0, 1, 0, 0.9, 0.1, 0]) };
    const model = ImplicitAls.fromFactors(users, items);
    expect(model.params.factors).toBe(3);
    const empty = { rows: 2, cols: 3, indptr: new Int32Array(3), indices: new Int32Array(0), data: new Float32Array(0) };
    const { ids } = model.recommend(Int32Array.from([0]), empty, { n: 2 });
    expect(Array.from(ids.subarray(0, 2))).toEqual([0, 2]);
    const loaded = ImplicitAls.load(model.save());
    expect(Array.from(loaded.itemFactors.data)).toEqual(Array.from(items.data));
    expect(() => ImplicitAls.fromFactors(users, { rows: 1, cols: 2, data: new Float32Array(2) })).toThrow(/same width, got 3 and 2/);
  });
});
