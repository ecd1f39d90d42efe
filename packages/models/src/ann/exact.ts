import { TopK } from "../core/topk.ts";
import { assertK, type NeighbourIndex, type Neighbours } from "./neighbour-index.ts";
import { normaliseRows, UnitRows, type VectorSet } from "./vectors.ts";

/** Brute-force cosine top-k: scans every row, so it is the ground truth for recall. */
export class ExactIndex extends UnitRows implements NeighbourIndex {
  readonly kind = "exact" as const;

  constructor(set: VectorSet) {
    super(set);
  }

  search(query: Float32Array, k: number, exclude?: ReadonlySet<number>): Neighbours {
    assertK(k);
    if (query.length !== this.dim) throw new RangeError(`query must have ${this.dim} values, got ${query.length}`);
    const q = normaliseRows(query, this.dim);
    const top = new TopK(Math.min(k, this.size));
    const dim = this.dim,
      unit = this.unit;
    for (let row = 0; row < this.size; row++) {
      const id = this.ids[row];
      if (exclude?.has(id)) continue;
      let s = 0;
      const off = row * dim;
      for (let j = 0; j < dim; j++) s += unit[off + j] * q[j];
      if (s > top.threshold) top.push(id, s);
    }
    return top.sorted();
  }
}
