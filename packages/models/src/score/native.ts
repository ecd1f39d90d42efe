import type { DenseMatrix } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import { blockTopKGraph, matMulReduceMaxGraph, transposeBlock } from "./graph.ts";
import { emptyResult, scanQuery, writeRow } from "./select.ts";
import { checkRequest, type TopKRequest, type TopKResult, type TopKScorer } from "./types.ts";

export type OnnxRuntime = typeof import("onnxruntime-node");

let loading: Promise<OnnxRuntime | null> | undefined;

/**
 * onnxruntime-node, imported on first use (its native library is large, and importing
 * @deepcuts/models must never pay for it); null where it cannot load.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntime | null> {
  loading ??= import("onnxruntime-node").then(
    (ort) => (ort as { default?: OnnxRuntime }).default ?? ort,
    () => null,
  );
  return loading;
}

export interface NativeScorerOptions {
  /** Tracks per graph (one session each). Default 65,536. */
  trackBlock?: number;
  /** Tracks per group of the fused reduction. Default 8. */
  group?: number;
  /** Queries per run. Default 128 (a 128 x 65,536 score block measured faster than 256 or 512 rows, docs/benchmarks.md). */
  listenerBlock?: number;
  /**
   * Items per query that the caller's filter is expected to drop (heard tracks): the graph
   * keeps that many more candidates. Default 0; too few only costs a rescan of that query.
   */
  overFetch?: number;
}

const sessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" } as const;

interface Block {
  from: number;
  to: number;
  groups: number;
  session: import("onnxruntime-node").InferenceSession;
}

/** Top-k through onnxruntime on one thread: MatMul per block of tracks with the top-k fused (graph.ts). */
export class NativeTopKScorer implements TopKScorer {
  readonly backend = "onnxruntime" as const;

  private constructor(
    readonly items: DenseMatrix,
    private readonly ort: OnnxRuntime,
    private readonly blocks: Block[],
    private readonly group: number,
    private readonly listenerBlock: number,
    private readonly overFetch: number,
  ) {}

  static async create(ort: OnnxRuntime, items: DenseMatrix, options: NativeScorerOptions = {}): Promise<NativeTopKScorer> {
    const group = options.group ?? 8;
    const trackBlock = Math.max(group, Math.ceil((options.trackBlock ?? 65_536) / group) * group);
    const blocks: Block[] = [];
    for (let from = 0; from < items.rows; from += trackBlock) {
      const to = Math.min(items.rows, from + trackBlock);
      const columns = Math.ceil((to - from) / group) * group;
      const graph = blockTopKGraph(transposeBlock(items.data, items.cols, from, to, columns), items.cols, columns, group);
      blocks.push({ from, to, groups: graph.groups, session: await ort.InferenceSession.create(graph.bytes, sessionOptions) });
    }
    return new NativeTopKScorer(items, ort, blocks, group, options.listenerBlock ?? 128, options.overFetch ?? 0);
  }

  /** Groups each block keeps for k: its share of k (and of the over-fetch) with room for chance. */
  private keptFor(block: Block, k: number, overFetch: number): number {
    if (this.blocks.length === 1) return Math.min(block.groups, k + overFetch);
    const share = ((k + overFetch) * (block.to - block.from)) / this.items.rows;
    return Math.min(block.groups, Math.ceil(1.5 * share + 4 * Math.sqrt(share) + 8));
  }

  async topK(request: TopKRequest): Promise<TopKResult> {
    checkRequest(this.items, request);
    const { queries, k, filter } = request;
    const dim = this.items.cols,
      group = this.group;
    const result = emptyResult(queries.rows, k);
    const ort = this.ort;
    const retry: number[] = [];
    for (let q0 = 0; q0 < queries.rows; q0 += this.listenerBlock) {
      const m = Math.min(this.listenerBlock, queries.rows - q0);
      const input = new ort.Tensor("float32", queries.data.subarray(q0 * dim, (q0 + m) * dim), [m, dim]);
      const tops = Array.from({ length: m }, () => new TopK(k));
      // Per query: the best score a track left out of the candidates can have.
      const bound = new Float64Array(m).fill(-Infinity);
      for (const block of this.blocks) {
        const kept = this.keptFor(block, k, request.overFetch ?? this.overFetch);
        const out = await block.session.run({ queries: input, kept: new ort.Tensor("int64", BigInt64Array.of(BigInt(kept)), [1]) });
        const groups = out.groups.data as Int32Array,
          groupMax = out.groupMax.data as Float32Array,
          scores = out.scores.data as Float32Array;
        const G = block.groups;
        for (let u = 0; u < m; u++) {
          const top = tops[u],
            q = q0 + u;
          // Tracks below the lowest kept group max never matter: at least `kept` tracks reach
          // it, and a listener whose k-th kept score falls below it is rescanned anyway.
          let lowest = -Infinity;
          if (kept < G) {
            lowest = Infinity;
            for (let t = 0; t < kept; t++) lowest = Math.min(lowest, groupMax[u * kept + t]);
            if (lowest > bound[u]) bound[u] = lowest;
          }
          for (let t = 0; t < kept; t++) {
            const g = groups[u * kept + t];
            for (let j = 0; j < group; j++) {
              let s = scores[(u * group + j) * kept + t];
              if (s < lowest || s <= top.threshold) continue;
              const item = block.from + j * G + g;
              if (item >= block.to) continue;
              if (filter) {
                s = filter(q, item, s);
                if (s <= top.threshold) continue;
              }
              top.push(item, s);
            }
          }
        }
      }
      for (let u = 0; u < m; u++) {
        // The candidates prove the top k when the k-th kept score reaches every left-out bound.
        if (tops[u].threshold >= bound[u]) writeRow(result, q0 + u, tops[u]);
        else retry.push(q0 + u);
      }
    }
    if (retry.length > 0) await this.rescore(request, retry, result);
    return result;
  }

  /**
   * Queries whose candidates did not prove their top k (the filter dropped more than the
   * over-fetch) go through the graph again with four times the room, and so on until every
   * group of a block is kept (which always proves it). A plain scan of 50,000 x 265 in
   * JavaScript costs about as much as the fused product of a hundred listeners.
   */
  private async rescore(request: TopKRequest, retry: number[], result: TopKResult): Promise<void> {
    const { queries, k, filter } = request;
    const dim = this.items.cols;
    const overFetch = request.overFetch ?? this.overFetch;
    const wider = 4 * (k + overFetch);
    result.rescanned += retry.length;
    if (this.blocks.every((b) => this.keptFor(b, k, overFetch) >= b.groups)) {
      for (const q of retry) writeRow(result, q, scanQuery(this.items, queries, q, k, filter));
      return;
    }
    const data = new Float32Array(retry.length * dim);
    retry.forEach((q, j) => data.set(queries.data.subarray(q * dim, (q + 1) * dim), j * dim));
    const again = await this.topK({
      queries: { rows: retry.length, cols: dim, data },
      k,
      overFetch: wider,
      filter: filter && ((j, item, s) => filter(retry[j], item, s)),
    });
    retry.forEach((q, j) => {
      result.items.set(again.items.subarray(j * k, (j + 1) * k), q * k);
      result.scores.set(again.scores.subarray(j * k, (j + 1) * k), q * k);
      result.found[q] = again.found[j];
    });
  }

  async dispose(): Promise<void> {
    for (const b of this.blocks) await b.session.release();
  }
}

/**
 * The bound for `bench:weekly`: the same product on the same blocks with the output reduced to
 * one max per query (MatMul + ReduceMax), one thread. Returns a function that scores all queries.
 */
export async function matMulBound(
  ort: OnnxRuntime,
  items: DenseMatrix,
  options: { trackBlock?: number; listenerBlock?: number } = {},
): Promise<{ run(queries: DenseMatrix): Promise<Float32Array>; dispose(): Promise<void> }> {
  const trackBlock = options.trackBlock ?? 65_536,
    listenerBlock = options.listenerBlock ?? 256,
    dim = items.cols;
  const sessions: import("onnxruntime-node").InferenceSession[] = [];
  for (let from = 0; from < items.rows; from += trackBlock) {
    const to = Math.min(items.rows, from + trackBlock);
    sessions.push(
      await ort.InferenceSession.create(matMulReduceMaxGraph(transposeBlock(items.data, dim, from, to, to - from), dim, to - from), sessionOptions),
    );
  }
  return {
    async run(queries) {
      const best = new Float32Array(queries.rows).fill(-Infinity);
      for (let q0 = 0; q0 < queries.rows; q0 += listenerBlock) {
        const m = Math.min(listenerBlock, queries.rows - q0);
        const input = new ort.Tensor("float32", queries.data.subarray(q0 * dim, (q0 + m) * dim), [m, dim]);
        for (const s of sessions) {
          const max = (await s.run({ queries: input })).max.data as Float32Array;
          for (let u = 0; u < m; u++) if (max[u] > best[q0 + u]) best[q0 + u] = max[u];
        }
      }
      return best;
    },
    async dispose() {
      for (const s of sessions) await s.release();
    },
  };
}
