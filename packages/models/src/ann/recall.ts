import type { Random } from "../core/random.ts";
import { seededRandom } from "../core/random.ts";
import type { NeighbourIndex } from "./neighbour-index.ts";

export interface RecallReport {
  /** Mean over queries of |approximate top-k ∩ exact top-k| / k. */
  recall: number;
  k: number;
  queries: number;
}

/**
 * Recall@k of `approximate` against `exact` over `queries` rows drawn at random from the
 * index (each row queries for its neighbours other than itself).
 */
export function measureRecall(
  approximate: NeighbourIndex,
  exact: NeighbourIndex,
  options: { k?: number; queries?: number; random?: Random } = {},
): RecallReport {
  const it = recallSteps(approximate, exact, options);
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
  }
}

/** The same measurement, yielding to the event loop after every query (for a serving process). */
export async function measureRecallAsync(
  approximate: NeighbourIndex,
  exact: NeighbourIndex,
  options: { k?: number; queries?: number; random?: Random } = {},
): Promise<RecallReport> {
  const it = recallSteps(approximate, exact, options);
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* recallSteps(
  approximate: NeighbourIndex,
  exact: NeighbourIndex,
  options: { k?: number; queries?: number; random?: Random },
): Generator<void, RecallReport> {
  const k = Math.min(options.k ?? 10, Math.max(1, exact.size - 1));
  const n = Math.min(options.queries ?? 100, exact.size);
  const random = options.random ?? seededRandom(7);
  let hit = 0,
    total = 0;
  for (let q = 0; q < n; q++) {
    const row = Math.floor(random() * exact.size);
    const query = exact.vectorAt(row);
    const selfId = exact.idAt(row);
    const skip = new Set([selfId]);
    const truth = new Set(exact.search(query, k, skip).ids);
    const got = approximate.search(query, k, skip).ids;
    for (const id of got) if (truth.has(id)) hit++;
    total += truth.size;
    yield;
  }
  return { recall: total === 0 ? 1 : hit / total, k, queries: n };
}
