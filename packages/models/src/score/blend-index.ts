import { createRequire } from "node:module";
import type { DenseMatrix } from "../core/matrix.ts";
import { blendCandidates, innerProductAsCosine, type BlendSource } from "./two-stage.ts";

export type Usearch = typeof import("usearch");

let usearch: Usearch | null | undefined;

/**
 * usearch, required on first use; null where it cannot load. Its ES module entry looks for the
 * prebuilt binary relative to the caller's stack and misses it under tsx; the CommonJS entry
 * finds it by its own directory.
 */
export function loadUsearch(): Usearch | null {
  if (usearch === undefined) {
    try {
      usearch = createRequire(import.meta.url)("usearch") as Usearch;
    } catch {
      usearch = null;
    }
  }
  return usearch;
}

export interface BlendIndexOptions {
  /**
   * "inner-product": a graph on the joint vectors with usearch's inner-product metric (the one
   * kept). "augmented-cosine": the vectors first go through `innerProductAsCosine` and the graph
   * uses cosine; the same ranking in exact search, but a far worse graph on these vectors
   * (docs/architecture.md, "Two-stage retrieval").
   */
  metric?: "inner-product" | "augmented-cosine";
  /** Graph edges per node (HNSW's M). Default 16. */
  connectivity?: number;
  /** Candidates kept while inserting (ef construction). Default 64. */
  expansionAdd?: number;
  /** How the index stores vectors; re-scoring is exact either way. Default "f16". */
  quantization?: "f32" | "f16" | "bf16";
  /** Threads for the build. Default 2. */
  threads?: number;
}

/** The models' item vectors side by side: row i is [y_1,i | y_2,i | ...]. */
export function jointItems(models: DenseMatrix[]): DenseMatrix {
  if (models.length === 0) throw new RangeError("models must hold at least one matrix, got none");
  const rows = models[0].rows;
  for (const [s, y] of models.entries()) if (y.rows !== rows) throw new RangeError(`models[${s}] must have ${rows} rows like models[0], got ${y.rows}`);
  const cols = models.reduce((a, y) => a + y.cols, 0);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let off = i * cols;
    for (const y of models) {
      data.set(y.data.subarray(i * y.cols, (i + 1) * y.cols), off);
      off += y.cols;
    }
  }
  return { rows, cols, data };
}

/**
 * A listener's joint query [scale_1 q_1 | scale_2 q_2 | ...]: its inner product with row i of
 * `jointItems` is the blended score sum_s scale_s (y_s,i . q_s), the blend of z-scores less a
 * constant per listener (sum_s scale_s * mean_s), so it ranks items exactly as the blend does.
 */
export function jointQuery(sources: BlendSource[], out?: Float32Array): Float32Array {
  const cols = sources.reduce((a, s) => a + s.query.length, 0);
  const q = out ?? new Float32Array(cols);
  if (q.length !== cols) throw new RangeError(`out must have ${cols} values, got ${q.length}`);
  let off = 0;
  for (const { query, scale } of sources) {
    for (let j = 0; j < query.length; j++) q[off + j] = scale * query[j];
    off += query.length;
  }
  return q;
}

/**
 * Two-stage retrieval for large catalogues: an HNSW graph (usearch) over the joint vectors gives
 * `count` candidates for the blend itself, then `blendCandidates` scores them exactly.
 */
export class BlendIndex {
  private readonly query: Float32Array;

  private constructor(
    readonly models: DenseMatrix[],
    private readonly index: InstanceType<Usearch["Index"]>,
    private readonly augmented: boolean,
    readonly buildMs: number,
  ) {
    this.query = new Float32Array(index.dimensions());
  }

  /** Builds the graph over `models` (same rows, one per track); throws where usearch cannot load. */
  static build(models: DenseMatrix[], options: BlendIndexOptions = {}): BlendIndex {
    const lib = loadUsearch();
    if (!lib) throw new Error("usearch could not be loaded: two-stage retrieval needs it (npm install usearch)");
    const started = performance.now();
    const augmented = options.metric === "augmented-cosine";
    const joint = augmented ? innerProductAsCosine(jointItems(models)) : jointItems(models);
    const quantization = options.quantization ?? "f16";
    const index = new lib.Index({
      dimensions: joint.cols,
      metric: augmented ? lib.MetricKind.Cos : lib.MetricKind.IP,
      connectivity: options.connectivity ?? 16,
      expansion_add: options.expansionAdd ?? 64,
      // The search's expansion is max(this, count): the candidate count sets it.
      expansion_search: 16,
      quantization: quantization === "f32" ? lib.ScalarKind.F32 : quantization === "bf16" ? lib.ScalarKind.BF16 : lib.ScalarKind.F16,
      multi: false,
    });
    index.add(
      BigUint64Array.from({ length: joint.rows }, (_, i) => BigInt(i)),
      joint.data,
      options.threads ?? 2,
    );
    return new BlendIndex(models, index, augmented, performance.now() - started);
  }

  get size(): number {
    return this.models[0].rows;
  }

  /** Up to `count` item rows whose joint inner product with the listener's query is (approximately) largest. */
  candidates(sources: BlendSource[], count: number): Int32Array {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    this.check(sources);
    // An augmented query ends in 0: the last coordinate of this.query is never written.
    jointQuery(sources, this.augmented ? this.query.subarray(0, this.query.length - 1) : this.query);
    const keys = this.index.search(this.query, count, 1).keys;
    return Int32Array.from(keys, (key) => Number(key));
  }

  /** The blend's top `k` among `count` candidates, best first, with the same `filter` as `blendCandidates`. */
  topK(sources: BlendSource[], count: number, k: number, filter?: (item: number, score: number) => number): { ids: Int32Array; scores: Float32Array } {
    return blendCandidates(sources, this.candidates(sources, count), k, filter);
  }

  private check(sources: BlendSource[]): void {
    if (sources.length !== this.models.length) throw new RangeError(`sources must hold ${this.models.length} models, got ${sources.length}`);
    for (const [s, src] of sources.entries()) {
      if (src.items !== this.models[s]) throw new RangeError(`sources[${s}].items must be the matrix the index was built on`);
      if (src.query.length !== src.items.cols) throw new RangeError(`sources[${s}].query must have ${src.items.cols} values, got ${src.query.length}`);
    }
  }
}
