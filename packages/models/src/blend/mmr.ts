export interface MmrOptions {
  /** Candidate items, any order. */
  candidates: ArrayLike<number>;
  /** Relevance of each candidate (same order), higher is better. */
  relevance: ArrayLike<number>;
  /** Similarity of two items in [-1, 1] (for example cosine of their vectors). */
  similarity: (a: number, b: number) => number;
  /** 0 = pure relevance, 1 = pure diversity. */
  diversity: number;
  /** How many to pick. */
  k: number;
  /** Hard constraints (artist caps and the like): may `item` join the items picked so far? */
  accept?: (item: number, picked: readonly number[]) => boolean;
}

/**
 * Maximal marginal relevance (Carbonell and Goldstein 1998): repeatedly pick the candidate
 * maximising (1 - d) * rel(i) - d * max_{j picked} sim(i, j), with relevance min-max scaled to
 * [0, 1] so `diversity` means the same whatever the score scale. Candidates the constraints
 * refuse are passed over. Returns the picked items in pick order.
 */
export function mmrSelect(options: MmrOptions): number[] {
  const n = options.candidates.length;
  const d = options.diversity;
  if (!(d >= 0 && d <= 1)) throw new RangeError(`diversity must be 0..1, got ${d}`);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, options.relevance[i]);
    hi = Math.max(hi, options.relevance[i]);
  }
  const span = hi - lo > 0 ? hi - lo : 1;
  const rel = Float64Array.from({ length: n }, (_, i) => (options.relevance[i] - lo) / span);
  const maxSim = new Float64Array(n).fill(-1);
  const used = new Uint8Array(n);
  const picked: number[] = [];
  while (picked.length < options.k) {
    let best = -1,
      bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const redundancy = picked.length ? Math.max(0, maxSim[i]) : 0;
      const value = (1 - d) * rel[i] - d * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) break;
    used[best] = 1;
    const item = options.candidates[best];
    if (options.accept && !options.accept(item, picked)) continue;
    picked.push(item);
    if (d > 0) {
      for (let i = 0; i < n; i++) if (!used[i]) maxSim[i] = Math.max(maxSim[i], options.similarity(options.candidates[i], item));
    }
  }
  return picked;
}
