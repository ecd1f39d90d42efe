/** Nearest neighbours of one query: database ids and cosine similarities, best first. */
export interface Neighbours {
  ids: Int32Array;
  scores: Float32Array;
}

/** The kinds of nearest-neighbour index: an exact scan and an HNSW graph. */
export const NEIGHBOUR_INDEX_KINDS = ["exact", "hnsw"] as const;
export type NeighbourIndexKind = (typeof NEIGHBOUR_INDEX_KINDS)[number];

/** What every nearest-neighbour index answers; exact and HNSW share it. */
export interface NeighbourIndex {
  readonly kind: NeighbourIndexKind;
  readonly size: number;
  readonly dim: number;
  /** Row of a database id, or -1. */
  rowOf(id: number): number;
  /** Database id of a row. */
  idAt(row: number): number;
  /** The unit-length vector stored for a row (a view, do not modify). */
  vectorAt(row: number): Float32Array;
  /** The `k` most cosine-similar rows to `query` (any length-`dim` vector), excluding `exclude`. */
  search(query: Float32Array, k: number, exclude?: ReadonlySet<number>): Neighbours;
}

export function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > 10_000) throw new RangeError(`k must be an integer 1..10000, got ${k}`);
}
