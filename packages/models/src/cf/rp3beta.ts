import { NotFittedError } from "../core/errors.ts";
import { transposeCsr, type Csr } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import { rp3BetaParams, type Rp3BetaParams } from "./params.ts";
import { checkCsr } from "./signals.ts";

/**
 * RP3beta (Paudel, Christoffel, Newell and Bernstein 2017, "Updatable, accurate, diverse, and
 * scalable recommendations for interactive applications"): a three-step random walk item -> user
 * -> item on the binary users x items matrix X (any positive strength counts as 1), each step's
 * probability raised to alpha, the arrival item's weight divided by its popularity^beta:
 * W[i][j] = (1/pop_i)^alpha sum over listeners u of i and j of (1/deg_u)^alpha, divided by pop_j^beta,
 * with pop the item's listener count and deg the user's item count; zero diagonal; each row keeps
 * its `neighbours` largest weights (a sparse item-item matrix, so any catalogue size fits). A
 * listener's score for item j is the sum of W[i][j] over their items i.
 */
export class Rp3Beta {
  readonly params: Rp3BetaParams;
  private w: Csr | null = null;

  constructor(options: Partial<Rp3BetaParams> = {}) {
    this.params = rp3BetaParams(options);
  }

  /** W as an items x items CSR matrix, each row's kept neighbours best first. */
  get itemWeights(): Csr {
    if (!this.w) throw new NotFittedError("Rp3Beta");
    return this.w;
  }

  fit(userItems: Csr): this {
    checkCsr(userItems, "userItems");
    const { alpha, beta, neighbours } = this.params;
    const items = userItems.cols;
    const degree = new Float64Array(userItems.rows),
      popularity = new Float64Array(items);
    for (let u = 0; u < userItems.rows; u++) {
      for (let q = userItems.indptr[u]; q < userItems.indptr[u + 1]; q++) {
        if (userItems.data[q] > 0) {
          degree[u]++;
          popularity[userItems.indices[q]]++;
        }
      }
    }
    const userStep = Float64Array.from(degree, (d) => (d > 0 ? d ** -alpha : 0));
    const arrival = Float64Array.from(popularity, (p) => (p > 0 ? p ** -beta : 0));
    const itemUsers = transposeCsr(userItems);
    const sum = new Float64Array(items);
    const reached = new Int32Array(items);
    const indptr = new Int32Array(items + 1);
    const indices: number[] = [],
      data: number[] = [];
    for (let i = 0; i < items; i++) {
      let m = 0;
      if (popularity[i] > 0) {
        const leave = popularity[i] ** -alpha;
        for (let q = itemUsers.indptr[i]; q < itemUsers.indptr[i + 1]; q++) {
          if (!(itemUsers.data[q] > 0)) continue;
          const u = itemUsers.indices[q];
          const w = leave * userStep[u];
          for (let r = userItems.indptr[u]; r < userItems.indptr[u + 1]; r++) {
            const j = userItems.indices[r];
            if (j === i || !(userItems.data[r] > 0)) continue;
            if (sum[j] === 0) reached[m++] = j;
            sum[j] += w;
          }
        }
      }
      if (m > 0) {
        const top = new TopK(Math.min(neighbours, m));
        for (let k = 0; k < m; k++) {
          const j = reached[k];
          top.push(j, sum[j] * arrival[j]);
          sum[j] = 0;
        }
        const kept = top.sorted();
        for (let k = 0; k < kept.ids.length; k++) {
          indices.push(kept.ids[k]);
          data.push(kept.scores[k]);
        }
      }
      indptr[i + 1] = indices.length;
    }
    this.w = { rows: items, cols: items, indptr, indices: Int32Array.from(indices), data: Float32Array.from(data) };
    return this;
  }

  /**
   * Scores of every catalogue item for one history (rows of `userItems` from `start` to `end` in
   * its CSR arrays): the sum of W[i][j] over its items i, 0 for items no walk reaches. Writes
   * into `out` (length: catalogue size).
   */
  scoreHistory(userItems: Csr, start: number, end: number, out: Float32Array): Float32Array {
    const w = this.itemWeights;
    if (out.length !== w.cols) throw new RangeError(`out must have the catalogue's ${w.cols} entries, got ${out.length}`);
    out.fill(0);
    for (let q = start; q < end; q++) {
      if (!(userItems.data[q] > 0)) continue;
      const i = userItems.indices[q];
      if (i >= w.rows) throw new RangeError(`userItems item ${i} is outside the fitted catalogue of ${w.rows} items`);
      for (let r = w.indptr[i]; r < w.indptr[i + 1]; r++) out[w.indices[r]] += w.data[r];
    }
    return out;
  }
}
