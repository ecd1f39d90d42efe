import { ImplicitAls } from "@deepcuts/models/cf";
import { csrFromTriples } from "@deepcuts/models/core";
import { holdoutSplit } from "@deepcuts/models/eval";
import { describe, expect, it } from "vitest";
import { alsLoss, checkpoints, learningCurve, sampledSplit } from "./learning-curve.ts";

describe("learning curve", () => {
  it("checks 1, 2, 4, ... sweeps below the configured count", () => {
    expect(checkpoints(15)).toEqual([1, 2, 4, 8]);
    expect(checkpoints(1)).toEqual([]);
    expect(checkpoints(2)).toEqual([1]);
  });

  it("computes ALS's loss as the brute-force sum over every pair", () => {
    const strength = csrFromTriples(3, 4, {
      rows: Int32Array.from([0, 0, 1, 2, 2]),
      cols: Int32Array.from([0, 2, 1, 0, 3]),
      values: Float32Array.from([1, 3, 2, 5, 1]),
    });
    const users = { rows: 3, cols: 2, data: Float32Array.from([0.3, -0.2, 0.5, 0.1, -0.4, 0.7]) };
    const items = { rows: 4, cols: 2, data: Float32Array.from([0.2, 0.9, -0.1, 0.4, 0.6, 0.3, 0.8, -0.5]) };
    const p = { alpha: 2, confidence: "log1p" as const, regularization: 0.1 };
    let sum = 0;
    let confidence = 0;
    for (let u = 0; u < 3; u++) {
      for (let i = 0; i < 4; i++) {
        const at = [...strength.indices.subarray(strength.indptr[u], strength.indptr[u + 1])].indexOf(i);
        const c = at < 0 ? 1 : 1 + 2 * Math.log1p(strength.data[strength.indptr[u] + at]);
        const s = users.data[2 * u] * items.data[2 * i] + users.data[2 * u + 1] * items.data[2 * i + 1];
        sum += c * ((at < 0 ? 0 : 1) - s) ** 2;
        confidence += c;
      }
    }
    const norms = [...users.data, ...items.data].reduce((n, v) => n + v * v, 0);
    expect(alsLoss(strength, users, items, p)).toBeCloseTo((sum + 0.1 * norms) / confidence, 5);
  });

  it("ends at the final model's own validation metrics, with the loss falling as ALS sweeps", async () => {
    const rows: number[] = [],
      cols: number[] = [],
      values: number[] = [];
    // Two taste groups: listeners 0-19 play items 0-9, listeners 20-39 items 10-19.
    for (let u = 0; u < 40; u++)
      for (let i = 0; i < 10; i++)
        if ((u + i) % 3 !== 0) {
          rows.push(u);
          cols.push(u < 20 ? i : 10 + i);
          values.push(1 + ((u * i) % 4));
        }
    const split = holdoutSplit(csrFromTriples(40, 20, { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float32Array.from(values) }), {
      seed: 3,
    });
    const params = { factors: 4, regularization: 0.05, alpha: 1, confidence: "log1p" as const, threads: 1, seed: 7 };
    const final = await new ImplicitAls({ ...params, iterations: 6 }).fit(split.train);
    const curve = await learningCurve(
      split,
      6,
      (n) => new ImplicitAls({ ...params, iterations: n }).fit(split.train),
      final,
      (m) => alsLoss(split.train, m.userFactors, m.itemFactors, params),
    );
    expect(curve.map((p) => p.iteration)).toEqual([1, 2, 4, 6]);
    expect(curve[curve.length - 1].loss!).toBeLessThan(curve[0].loss!);
    expect(curve[curve.length - 1]["recall@20"]).toBeGreaterThan(0.5);
  });

  it("samples validation listeners evenly and keeps the training matrix", () => {
    const split = {
      train: csrFromTriples(5, 2, { rows: Int32Array.from([0]), cols: Int32Array.from([0]), values: Float32Array.from([1]) }),
      test: [0, 1, 2, 3, 4].map((u) => Int32Array.from(u === 2 ? [] : [1])),
    };
    const sample = sampledSplit(split, 2);
    expect(sample.train).toBe(split.train);
    expect(sample.test.filter((t) => t.length).length).toBe(2);
  });
});
