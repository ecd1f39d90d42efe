import type { DenseMatrix } from "../core/matrix.ts";
import { FallbackTopKScorer } from "./fallback.ts";
import { loadOnnxRuntime, NativeTopKScorer, type NativeScorerOptions, type OnnxRuntime } from "./native.ts";
import type { TopKScorer } from "./types.ts";

export * from "./types.ts";
export { FallbackTopKScorer } from "./fallback.ts";
export { NativeTopKScorer, loadOnnxRuntime, matMulBound, type NativeScorerOptions, type OnnxRuntime } from "./native.ts";
export { scanQuery } from "./select.ts";

export interface ScorerOptions extends NativeScorerOptions {
  /** "auto": onnxruntime where it loads, else WebAssembly; "native" fails without it; "fallback" never loads it. */
  backend?: "auto" | "native" | "fallback";
  /** Where onnxruntime comes from (tests pass a loader that fails, as on a machine without it). */
  loadNative?: () => Promise<OnnxRuntime | null>;
}

/** A top-k scorer over `items` (rows = tracks): native matrix products where possible, the same contract everywhere. */
export async function createTopKScorer(items: DenseMatrix, options: ScorerOptions = {}): Promise<TopKScorer> {
  const backend = options.backend ?? "auto";
  if (items.rows < 1 || items.cols < 1) throw new RangeError(`items must have at least 1 row and 1 col, got ${items.rows} x ${items.cols}`);
  if (backend !== "fallback") {
    const ort = await (options.loadNative ?? loadOnnxRuntime)();
    if (ort) {
      try {
        return await NativeTopKScorer.create(ort, items, options);
      } catch (error) {
        if (backend === "native") throw error;
      }
    } else if (backend === "native") {
      throw new Error("onnxruntime-node could not be loaded: install it, or use backend 'auto' or 'fallback'");
    }
  }
  return new FallbackTopKScorer(items);
}
export { innerProductAsCosine, blendCandidates, ScoreMoments, type BlendSource } from "./two-stage.ts";
export { BlendIndex, jointItems, jointQuery, loadUsearch, type BlendIndexOptions } from "./blend-index.ts";
