import { TopK } from "../core/topk.ts";
import { assertK, type NeighbourIndex, type Neighbours } from "./neighbour-index.ts";
import { assertVectorSet, normalizeRows, type VectorSet } from "./vectors.ts";

/** Brute-force cosine top-k: scans every row, so it is the ground truth for recall. */
export class ExactIndex implements NeighbourIndex {
  readonly kind = "exact" as const;
  readonly size: number;
  readonly dim: number;
  private readonly unit: Float32Array;
  private readonly ids: Int32Array;
  private readonly rows = new Map<number, number>();

  constructor(set: VectorSet) {
    assertVectorSet(set);
    this.dim = set.dim;
    this.size = set.ids.length;
    this.ids = set.ids;
    this.unit = normalizeRows(set.data, set.dim);
    set.ids.forEach((id, row) => this.rows.set(id, row));
  }

  rowOf(id: number): number {
    return this.rows.get(id) ?? -1;
  }

  idAt(row: number): number {
    return this.ids[row];
  }

  vectorAt(row: number): Float32Array {
    return this.unit.subarray(row * this.dim, (row + 1) * this.dim);
  }

  search(query: Float32Array, k: number, exclude?: ReadonlySet<number>): Neighbours {
    assertK(k);
    if (query.length !== this.dim) throw new RangeError(`query must have ${this.dim} values, got ${query.length}`);
    const q = normalizeRows(query, this.dim);
    const top = new TopK(Math.min(k, this.size));
    const dim = this.dim, unit = this.unit;
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
