import { csrFromTriples, seededRandom, type Csr, type DenseMatrix } from "../core/index.ts";
import { randomizedSvd } from "./svd.ts";

export interface CoMentionOptions {
  /** Dimensions of the artist vectors (default `defaultCoMentionDims` of the artists with a vector). */
  dims?: number;
  /** Exponent of the context artist's article count in PMI (Levy et al.'s smoothing; default 0.75, 1 = plain PMI). */
  smoothing?: number;
  /** Seed of the randomized SVD (default 42). */
  seed?: number;
  signal?: AbortSignal;
}

/**
 * floor(sqrt(artists) / 2), at least 8 and at most 128: 8 for the demo world's ~300 artists
 * (chosen on the seed-7 world among 6..16, docs/crawl.md), 66 for Last.fm 2K's 17,632.
 */
export function defaultCoMentionDims(artists: number): number {
  return Math.min(128, Math.max(8, Math.floor(Math.sqrt(artists) / 2)));
}

export interface CoMentionEmbedding {
  /** Columns of the input (artists) that got a vector: those written about with another artist. */
  artists: Int32Array;
  /** Unit-length row r belongs to artist column `artists[r]`. */
  vectors: DenseMatrix;
  /** Articles that mention at least one artist (N of the probabilities). */
  articles: number;
  /** Artist pairs with a positive PMI (non-zeros of the PPMI matrix, both directions). */
  pairs: number;
  dims: number;
}

/**
 * Artist vectors from which artists are written about together: the positive PMI matrix over
 * articles, PPMI(a, b) = max(0, ln(n(a,b) N / (n(a) n'(b)))) with N the articles that mention any
 * artist and n'(b) the context artist's count smoothed (n(b)^0.75, rescaled to the same total),
 * factorised by truncated SVD and weighted by the square root of the singular values
 * (Levy, Goldberg and Dagan 2015, "Improving distributional similarity with lessons learned from
 * word embeddings"). Two artists end up close when they are written about with the same others,
 * even if never together. `mentions` is articles x artists; any positive value counts as a mention.
 */
export function coMentionVectors(mentions: Csr, options: CoMentionOptions = {}): CoMentionEmbedding {
  const n = mentions.cols;
  const articleCount = new Int32Array(n);
  const rows: number[] = [],
    cols: number[] = [];
  let articles = 0;
  for (let r = 0; r < mentions.rows; r++) {
    const named: number[] = [];
    for (let k = mentions.indptr[r]; k < mentions.indptr[r + 1]; k++) if (mentions.data[k] > 0) named.push(mentions.indices[k]);
    if (named.length === 0) continue;
    articles++;
    for (const a of named) {
      articleCount[a]++;
      for (const b of named) {
        if (a === b) continue;
        rows.push(a);
        cols.push(b);
      }
    }
  }
  const joint = csrFromTriples(n, n, { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: new Float32Array(rows.length).fill(1) });
  // PPMI in place of the joint counts; a non-positive PMI becomes an explicit zero.
  // The context artist's count smoothed to n(b)^alpha, rescaled to the same total: rare
  // artists no longer get the highest PMI for one shared article (alpha = 1 is plain PMI).
  const alpha = options.smoothing ?? 0.75;
  let total = 0,
    smoothedTotal = 0;
  for (let a = 0; a < n; a++) {
    total += articleCount[a];
    smoothedTotal += articleCount[a] ** alpha;
  }
  const smoothed = Float64Array.from(articleCount, (c) => (c ** alpha * total) / smoothedTotal);
  const present = new Uint8Array(n);
  let pairs = 0;
  for (let a = 0; a < n; a++) {
    for (let k = joint.indptr[a]; k < joint.indptr[a + 1]; k++) {
      const pmi = Math.log((joint.data[k] * articles) / (articleCount[a] * smoothed[joint.indices[k]]));
      joint.data[k] = pmi > 0 ? pmi : 0;
      if (pmi > 0) {
        present[a] = 1;
        pairs++;
      }
    }
  }
  const artists = Int32Array.from(Array.from(present).flatMap((p, a) => (p ? [a] : [])));
  const dims = Math.min(options.dims ?? defaultCoMentionDims(artists.length), artists.length);
  if (dims < 1) return { artists, vectors: { rows: 0, cols: 0, data: new Float32Array(0) }, articles, pairs, dims: 0 };
  const svd = randomizedSvd(joint, dims, { random: seededRandom(options.seed ?? 42), signal: options.signal });
  const data = new Float32Array(artists.length * dims);
  artists.forEach((a, r) => {
    let norm = 0;
    for (let c = 0; c < dims; c++) {
      const value = svd.u.data[a * dims + c] * Math.sqrt(svd.s[c]);
      data[r * dims + c] = value;
      norm += value * value;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < dims; c++) data[r * dims + c] *= inv;
  });
  return { artists, vectors: { rows: artists.length, cols: dims, data }, articles, pairs, dims };
}
