import type { Csr } from "../core/matrix.ts";
import { csrFromTriples } from "../core/matrix.ts";
import { seededRandom } from "../core/random.ts";

/** A seeded random users x items play-count matrix with skewed item popularity, for unit tests. */
export function randomPlays(users: number, items: number, perUser: number, seed: number): Csr {
  const random = seededRandom(seed);
  const rows: number[] = [],
    cols: number[] = [],
    values: number[] = [];
  for (let u = 0; u < users; u++) {
    for (let j = 0; j < perUser; j++) {
      rows.push(u);
      cols.push(Math.floor(items * random() ** 2));
      values.push(1 + Math.floor(50 * random()));
    }
  }
  return csrFromTriples(users, items, { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float32Array.from(values) });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
