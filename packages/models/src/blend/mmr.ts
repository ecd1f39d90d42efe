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
  /**
   * Hard constraints (artist caps and the like): may `item` join the items picked so far? Asked
   * about a candidate as often as it leads (so it must not change anything), and taken to be
   * monotone: refused beside some picks, refused beside any more (caps and quotas are).
   */
  accept?: (item: number, picked: readonly number[]) => boolean;
}

/**
 * Maximal marginal relevance (Carbonell and Goldstein 1998): repeatedly pick the candidate
 * maximising (1 - d) * rel(i) - d * max_{j picked} sim(i, j), with relevance min-max scaled to
 * [0, 1] so `diversity` means the same whatever the score scale. Candidates the constraints
 * refuse are passed over. Returns the picked items in pick order.
 *
 * Similarities are computed lazily: a candidate's max similarity only grows as picks are added,
 * so its value from the picks it has already been compared with (a prefix of them) is an upper
 * bound. The candidates wait in a heap by that bound (ties to the earlier candidate). When the top
 * is stale, it is compared with the newer picks until it is up to date or falls below the next
 * best, and goes back into the heap; when the top is up to date, it beats every other bound, so
 * it is the eager loop's pick (the same values, ties to the earlier candidate). Most candidates
 * are never compared with most picks. A stale top that the constraints refuse is dropped before
 * any comparison: it could never be picked (accept is monotone), and on weekly playlists a third
 * of the comparisons went to such candidates (docs/weekly.md, step 4).
 */
export function mmrSelect(options: MmrOptions): number[] {
  const { candidates, similarity } = options;
  const n = candidates.length;
  const d = options.diversity;
  if (!(d >= 0 && d <= 1)) throw new RangeError(`diversity must be 0..1, got ${d}`);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, options.relevance[i]);
    hi = Math.max(hi, options.relevance[i]);
  }
  const span = hi - lo > 0 ? hi - lo : 1;
  const rel = new Float64Array(n);
  for (let i = 0; i < n; i++) rel[i] = (options.relevance[i] - lo) / span;
  const maxSim = new Float64Array(n).fill(-1);
  /** How many of the picks (in pick order) maxSim[i] has taken in. */
  const compared = new Int32Array(n);
  /** Each candidate's value with the picks it has been compared with: an upper bound of its value now (NaN as -Infinity: never picked). */
  const bound = new Float64Array(n);
  const valueOf = (i: number, m: number) => {
    const v = (1 - d) * rel[i] - d * Math.max(0, m);
    return v > -Infinity ? v : -Infinity;
  };
  for (let i = 0; i < n; i++) bound[i] = valueOf(i, 0);
  // A max-heap of candidate positions by bound, the earlier candidate first on ties.
  const heap = new Int32Array(n);
  for (let i = 0; i < n; i++) heap[i] = i;
  let size = n;
  const before = (a: number, b: number) => bound[a] > bound[b] || (bound[a] === bound[b] && a < b);
  const siftDown = (at: number) => {
    const x = heap[at];
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && before(heap[child + 1], heap[child])) child++;
      if (!before(heap[child], x)) break;
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = x;
  };
  for (let at = (size >> 1) - 1; at >= 0; at--) siftDown(at);
  const picked: number[] = [];
  while (picked.length < options.k && size > 0) {
    const best = heap[0];
    if (bound[best] === -Infinity) break;
    if (d > 0 && compared[best] < picked.length) {
      if (options.accept && !options.accept(candidates[best], picked)) {
        heap[0] = heap[--size];
        siftDown(0);
        continue;
      }
      // Stale: compare it with the newer picks while it still leads the next best, then re-place it.
      const next = size > 2 && before(heap[2], heap[1]) ? heap[2] : size > 1 ? heap[1] : -1;
      let m = maxSim[best];
      let p = compared[best];
      while (p < picked.length) {
        m = Math.max(m, similarity(candidates[best], picked[p++]));
        if (next >= 0 && valueOf(best, m) < bound[next]) break;
      }
      maxSim[best] = m;
      compared[best] = p;
      bound[best] = valueOf(best, m);
      siftDown(0);
      continue;
    }
    heap[0] = heap[--size];
    siftDown(0);
    const item = candidates[best];
    if (options.accept && !options.accept(item, picked)) continue;
    picked.push(item);
  }
  return picked;
}
