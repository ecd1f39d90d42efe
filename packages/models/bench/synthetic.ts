import type { Csr } from "../src/core/matrix.ts";
import { seededRandom } from "../src/core/random.ts";

/**
 * A seeded users x items play matrix with `nnz` entries: every user gets about nnz/users distinct
 * items drawn with Zipf popularity p(rank r) ~ 1 / (r + 1)^exponent, play counts heavy-tailed.
 */
export function syntheticPlays(users: number, items: number, nnz: number, seed = 42, exponent = 0.8): Csr {
  const random = seededRandom(seed);
  const cumulative = new Float64Array(items);
  let total = 0;
  for (let r = 0; r < items; r++) cumulative[r] = total += 1 / (r + 1) ** exponent;
  // Item ids are shuffled so popularity is not correlated with the index.
  const idOfRank = Int32Array.from({ length: items }, (_, i) => i);
  for (let i = items - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idOfRank[i], idOfRank[j]] = [idOfRank[j], idOfRank[i]];
  }
  const draw = () => {
    const x = random() * total;
    let lo = 0,
      hi = items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return idOfRank[lo];
  };
  const indptr = new Int32Array(users + 1);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  const seen = new Uint8Array(items);
  let at = 0;
  for (let u = 0; u < users; u++) {
    const want = Math.min(items, Math.floor(((u + 1) * nnz) / users) - Math.floor((u * nnz) / users));
    const start = at;
    while (at - start < want) {
      const i = draw();
      if (seen[i]) continue;
      seen[i] = 1;
      indices[at] = i;
      data[at] = 1 + Math.floor(-Math.log(1 - random()) * 8);
      at++;
    }
    const row = indices.subarray(start, at).sort();
    for (const i of row) seen[i] = 0;
    // Values were drawn independently of the item, so re-pairing after the sort changes nothing.
    indptr[u + 1] = at;
  }
  return { rows: users, cols: items, indptr, indices, data };
}
