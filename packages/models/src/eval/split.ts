import { filterCsr, type Csr } from "../core/matrix.ts";
import { seededRandom, shuffle } from "../core/random.ts";

export interface HoldoutSplit {
  /** Training interactions: the input matrix with the held-out entries removed. */
  train: Csr;
  /** Held-out item indices per user (empty for users that hold nothing out). */
  test: Int32Array[];
}

export interface HoldoutOptions {
  /** Share of each user's items held out (default 0.2). */
  fraction?: number;
  /** Seed of the per-user draw (default 42). */
  seed?: number;
  /** Users with fewer items than this hold nothing out (default 2). */
  minItems?: number;
}

/**
 * Per-user random holdout, the protocol every offline figure in this project uses: each user
 * with at least `minItems` items holds out max(1, round(fraction * n)) of them, drawn with a
 * seeded shuffle in user order so the split is reproducible.
 */
export function holdoutSplit(userItems: Csr, options: HoldoutOptions = {}): HoldoutSplit {
  const fraction = options.fraction ?? 0.2;
  const minItems = options.minItems ?? 2;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be in (0, 1), got ${fraction}`);
  const random = seededRandom(options.seed ?? 42);
  const test: Int32Array[] = [];
  const keep = new Uint8Array(userItems.indices.length).fill(1);
  for (let u = 0; u < userItems.rows; u++) {
    const start = userItems.indptr[u],
      end = userItems.indptr[u + 1];
    const n = end - start;
    if (n < minItems) {
      test.push(new Int32Array(0));
      continue;
    }
    const count = Math.max(1, Math.round(fraction * n));
    const positions = Int32Array.from({ length: n }, (_, i) => start + i);
    shuffle(positions, random);
    const held = positions.subarray(0, count);
    for (const p of held) keep[p] = 0;
    test.push(Int32Array.from(held, (p) => userItems.indices[p]).sort());
  }
  return {
    train: filterCsr(userItems, (_column, position) => keep[position] === 1),
    test,
  };
}

/**
 * Carves a validation split out of training data (for choosing blend weights or early
 * stopping), with its own seed so test items are never touched.
 */
export function validationSplit(train: Csr, options: HoldoutOptions = {}): HoldoutSplit {
  return holdoutSplit(train, { fraction: options.fraction ?? 0.2, seed: (options.seed ?? 42) + 7919, minItems: options.minItems ?? 2 });
}
