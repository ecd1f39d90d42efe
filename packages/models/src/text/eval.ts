import { evaluateBios, type BiosEvalResult } from "./eval-bios.ts";
import { evaluateTagRecommender, type TagRecommenderResult } from "./eval-lastfm.ts";
import type { SimilaritySpace } from "./model.ts";
import { DEFAULT_LSA_DIMS, type CulturalModelOptions } from "./options.ts";

export interface TextEvalOptions {
  /** "artist-bios:<folder>" or "lastfm-2k:<folder>". */
  dataset: string;
  /** Seed of the holdout split, the SVD and the random baseline (default 42). */
  seed?: number;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
  /** artist-bios: similarity space (default "hybrid": sparse tf-idf and LSA cosines, weighted by the model's hybridWeight). */
  space?: SimilaritySpace;
  /** artist-bios: LSA dimensions (default DEFAULT_LSA_DIMS, 100, as the product trains). */
  dims?: number;
  /** lastfm-2k: support shrinkage lambda (default 20). */
  shrinkage?: number;
  /** Vector parameters (df cuts, kind weights, hybrid weight). */
  model?: Omit<CulturalModelOptions, "artistOf">;
}

export type TextEvalResult = BiosEvalResult | TagRecommenderResult;

/** Runs the text model's offline evaluation named by `dataset`; figures as `deepcuts eval --model text` prints them. */
export async function evaluateText(options: TextEvalOptions): Promise<TextEvalResult> {
  const at = options.dataset.indexOf(":");
  const name = at < 0 ? options.dataset : options.dataset.slice(0, at);
  const folder = at < 0 ? "" : options.dataset.slice(at + 1);
  if (folder === "") throw new RangeError(`dataset must be "artist-bios:<folder>" or "lastfm-2k:<folder>", got "${options.dataset}"`);
  const seed = options.seed ?? 42;
  if (name === "artist-bios") {
    return evaluateBios({
      folder,
      seed,
      space: options.space ?? "hybrid",
      dims: options.dims ?? DEFAULT_LSA_DIMS,
      model: options.model ?? {},
      onProgress: options.onProgress,
      signal: options.signal,
    });
  }
  if (name === "lastfm-2k") {
    const shrinkage = options.shrinkage ?? 20;
    if (!(shrinkage >= 0)) throw new RangeError(`shrinkage must be >= 0, got ${shrinkage}`);
    return evaluateTagRecommender({ folder, seed, shrinkage, model: options.model ?? {}, onProgress: options.onProgress, signal: options.signal });
  }
  throw new RangeError(`dataset must start with "artist-bios:" or "lastfm-2k:", got "${options.dataset}"`);
}
