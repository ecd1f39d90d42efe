import { dot, normaliseRows } from "../core/vector.ts";

export { normaliseRows };
/** A set of equal-length vectors, row-major, with the database id of each row. */
export interface VectorSet {
  ids: Int32Array;
  dim: number;
  /** ids.length x dim, row-major. */
  data: Float32Array;
}

/** Checks shapes and names what is wrong: `data.length must be ids.length * dim`. */
export function assertVectorSet(set: VectorSet): void {
  if (!Number.isInteger(set.dim) || set.dim < 1 || set.dim > 65536) throw new RangeError(`dim must be 1..65536, got ${set.dim}`);
  if (set.data.length !== set.ids.length * set.dim) {
    throw new RangeError(`data.length must be ids.length * dim = ${set.ids.length * set.dim}, got ${set.data.length}`);
  }
}

/** Dot product of row `a` of `x` with row `b` of `y`. */
export function dotRows(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  return dot(x, a * dim, y, b * dim, dim);
}

/**
 * A vector set as unit rows, with the id <-> row bookkeeping every index over it needs
 * (exact.ts, hnsw.ts): rows in the set's order, ids as given.
 */
export abstract class UnitRows {
  readonly size: number;
  readonly dim: number;
  protected readonly unit: Float32Array;
  protected readonly ids: Int32Array;
  private readonly rows = new Map<number, number>();

  protected constructor(set: VectorSet) {
    assertVectorSet(set);
    this.dim = set.dim;
    this.size = set.ids.length;
    this.ids = set.ids;
    this.unit = normaliseRows(set.data, set.dim);
    set.ids.forEach((id, row) => this.rows.set(id, row));
  }

  /** The row of `id`, or -1 when the set has no such id. */
  rowOf(id: number): number {
    return this.rows.get(id) ?? -1;
  }

  idAt(row: number): number {
    return this.ids[row];
  }

  /** Row `row` as a unit vector (a view, not a copy). */
  vectorAt(row: number): Float32Array {
    return this.unit.subarray(row * this.dim, (row + 1) * this.dim);
  }
}
