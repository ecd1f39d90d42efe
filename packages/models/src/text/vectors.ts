import type { Csr } from "../core/matrix.ts";
import { transposeCsr } from "../core/matrix.ts";
import type { TermCorpus } from "./corpus.ts";
import type { ResolvedOptions } from "./options.ts";

/** The sparse cultural vectors of every entity, rows L2-normalised, and their inverted index. */
export interface CulturalVectors {
  /** entities x terms. */
  matrix: Csr;
  /** terms x entities (the transpose), for scoring a query against everyone. */
  byTerm: Csr;
  /** Inverse document frequency per term; 0 for terms left out (rare, too common, weight-0 kind). */
  idf: Float32Array;
}

// Entity counts below which the maxDf cut is not applied: with a handful of entities any shared term is "common".
const MAX_DF_FROM = 20;

/**
 * Per-term weight factor: idf (Sparck Jones 1972), plain ln(N / df) or scikit-learn's smooth_idf
 * ln((1 + N) / (1 + df)) + 1, times the kind weight; 0 when the term is filtered out. Plain idf
 * weighs rare terms (names, scenes) more against common ones and scored higher on artist-bios.
 */
export function termWeights(corpus: TermCorpus, options: ResolvedOptions): Float32Array {
  const n = corpus.entities.size;
  const maxDf = n >= MAX_DF_FROM ? options.maxDfRatio * n : n;
  const idf = new Float32Array(corpus.terms.size);
  for (let t = 0; t < idf.length; t++) {
    const df = corpus.df[t];
    const kindWeight = options.kindWeights[corpus.termKinds[t]];
    if (df < options.minDf || df > maxDf || kindWeight === 0) continue;
    idf[t] = kindWeight * (options.idf === "plain" ? Math.log(n / df) : Math.log((1 + n) / (1 + df)) + 1);
  }
  return idf;
}

/** Sublinear term frequency (Manning, Raghavan & Schütze 2008, eq. 6.13): 1 + ln tf. */
export function sublinearTf(count: number): number {
  return count > 0 ? 1 + Math.log(count) : 0;
}

/** The weighted, L2-normalised sparse vector of one entity, terms ascending. */
export function entityVector(counts: Map<number, number>, idf: Float32Array): { indices: Int32Array; values: Float32Array } {
  const ids: number[] = [];
  for (const t of counts.keys()) if (t < idf.length && idf[t] > 0) ids.push(t);
  ids.sort((a, b) => a - b);
  const indices = Int32Array.from(ids);
  const values = new Float32Array(ids.length);
  let norm = 0;
  for (let i = 0; i < ids.length; i++) {
    const w = sublinearTf(counts.get(ids[i])!) * idf[ids[i]];
    values[i] = w;
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < values.length; i++) values[i] /= norm;
  return { indices, values };
}

/** Rebuilds every entity's vector from the counts (no text is re-read). */
export function buildVectors(corpus: TermCorpus, options: ResolvedOptions): CulturalVectors {
  const idf = termWeights(corpus, options);
  const rows = corpus.entities.size;
  const parts = corpus.counts.map((counts) => entityVector(counts, idf));
  const indptr = new Int32Array(rows + 1);
  for (let e = 0; e < rows; e++) indptr[e + 1] = indptr[e] + parts[e].indices.length;
  const indices = new Int32Array(indptr[rows]);
  const data = new Float32Array(indptr[rows]);
  parts.forEach((p, e) => {
    indices.set(p.indices, indptr[e]);
    data.set(p.values, indptr[e]);
  });
  const matrix: Csr = { rows, cols: corpus.terms.size, indptr, indices, data };
  return { matrix, byTerm: transposeCsr(matrix), idf };
}
