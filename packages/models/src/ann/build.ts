import { ExactIndex } from "./exact.ts";
import { HnswIndex, type HnswOptions } from "./hnsw.ts";
import type { NeighbourIndex } from "./neighbour-index.ts";
import { measureRecall, measureRecallAsync, type RecallReport } from "./recall.ts";
import type { VectorSet } from "./vectors.ts";

export interface BuildIndexOptions extends HnswOptions {
  /** Catalogues up to this many rows get the exact index. Default 20,000. */
  exactUpTo?: number;
  /** Queries for the recall measurement of an approximate index. Default 200. */
  recallQueries?: number;
}

export interface BuiltIndex {
  index: NeighbourIndex;
  /** Recall@10 against exact search: 1 for the exact index, measured for HNSW. */
  recall: RecallReport;
  buildMs: number;
}

/** Exact search for small sets (a scan is cheap), HNSW with its measured recall above that. */
export function buildNeighbourIndex(set: VectorSet, options: BuildIndexOptions = {}): BuiltIndex {
  const started = performance.now();
  const exact = new ExactIndex(set);
  if (set.ids.length <= (options.exactUpTo ?? 20_000)) {
    return { index: exact, recall: { recall: 1, k: 10, queries: 0 }, buildMs: performance.now() - started };
  }
  const index = new HnswIndex(set, options);
  const buildMs = performance.now() - started;
  return { index, recall: measureRecall(index, exact, { k: 10, queries: options.recallQueries ?? 200 }), buildMs };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * HNSW built in slices of `sliceRows` rows with a yield to the event loop between slices, so
 * a server keeps answering (from an exact index) while a large catalogue's graph is built.
 */
export async function buildHnswAsync(set: VectorSet, options: BuildIndexOptions & { sliceRows?: number; signal?: AbortSignal } = {}): Promise<BuiltIndex> {
  const started = performance.now();
  const index = new HnswIndex(set, { ...options, deferBuild: true });
  const slice = options.sliceRows ?? 200;
  for (let row = 0; row < index.size; row += slice) {
    if (options.signal?.aborted) throw new Error("HNSW build cancelled");
    index.insertRows(row, row + slice);
    await nextTick();
  }
  const buildMs = performance.now() - started;
  const recall = await measureRecallAsync(index, new ExactIndex(set), { k: 10, queries: options.recallQueries ?? 200 });
  return { index, recall, buildMs };
}
