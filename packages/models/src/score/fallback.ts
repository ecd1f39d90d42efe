import { simdScores, simdSupported } from "../cf/wasm-simd.ts";
import type { DenseMatrix } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import { dotRow, emptyResult, writeRow } from "./select.ts";
import { checkRequest, type TopKRequest, type TopKResult, type TopKScorer } from "./types.ts";

/**
 * The same top-k where onnxruntime cannot load: blocks of queries x blocks of tracks through the
 * WebAssembly SIMD scores kernel (or plain loops without SIMD), each block's scores selected
 * while they are in cache. Exact: every track is scored.
 */
export class FallbackTopKScorer implements TopKScorer {
  readonly backend: "wasm" | "js";
  private readonly padded: Float32Array;
  private readonly width: number;
  private readonly trackBlock: number;
  private readonly listenerBlock: number;

  constructor(
    readonly items: DenseMatrix,
    options: { simd?: boolean; trackBlock?: number; listenerBlock?: number } = {},
  ) {
    this.backend = (options.simd ?? true) && simdSupported() ? "wasm" : "js";
    // The SIMD kernel reads 4 floats at a time: rows are padded to a multiple of 4.
    this.width = Math.ceil(items.cols / 4) * 4;
    this.padded = padColumns(items.data, items.rows, items.cols, this.width);
    this.trackBlock = options.trackBlock ?? 4096;
    this.listenerBlock = options.listenerBlock ?? 64;
  }

  async topK(request: TopKRequest): Promise<TopKResult> {
    checkRequest(this.items, request);
    const { queries, k, filter } = request;
    const result = emptyResult(queries.rows, k);
    const w = this.width,
      n = this.items.rows;
    const q = padColumns(queries.data, queries.rows, queries.cols, w);
    for (let q0 = 0; q0 < queries.rows; q0 += this.listenerBlock) {
      const m = Math.min(this.listenerBlock, queries.rows - q0);
      const tops = Array.from({ length: m }, () => new TopK(k));
      for (let from = 0; from < n; from += this.trackBlock) {
        const count = Math.min(this.trackBlock, n - from);
        const block =
          this.backend === "wasm" ? simdScores(q.subarray(q0 * w, (q0 + m) * w), this.padded.subarray(from * w, (from + count) * w), null, m, count, w) : null;
        for (let u = 0; u < m; u++) {
          const top = tops[u];
          for (let c = 0; c < count; c++) {
            let s = block ? block[u * count + c] : Math.fround(dotRow(this.padded, from + c, q, (q0 + u) * w, w));
            if (s <= top.threshold) continue;
            if (filter) {
              s = filter(q0 + u, from + c, s);
              if (s <= top.threshold) continue;
            }
            top.push(from + c, s);
          }
        }
      }
      for (let u = 0; u < m; u++) writeRow(result, q0 + u, tops[u]);
    }
    return result;
  }

  async dispose(): Promise<void> {}
}

function padColumns(data: Float32Array, rows: number, cols: number, width: number): Float32Array {
  if (width === cols) return data.subarray(0, rows * cols);
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols, (r + 1) * cols), r * width);
  return out;
}
