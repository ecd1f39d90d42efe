/** Seeded draws shared by the generators: independent streams per purpose, weighted picks. */
import { gaussian, seededRandom, type Random } from "@deepcuts/models/core";

/** FNV-1a over the label, mixed with the seed and an index, so each purpose gets its own stream
 * and adding draws to one generator never shifts another. */
export function streamSeed(seed: number, label: string, index = 0): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (index >>> 0), 0x01000193);
  h = Math.imul(h ^ (Math.floor(index / 4294967296) >>> 0), 0x01000193);
  // murmur3 finalizer: spreads nearby seeds apart.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function streamRandom(seed: number, label: string, index = 0): Random {
  return seededRandom(streamSeed(seed, label, index));
}

export function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)];
}

/** Index drawn with probability proportional to weights[i] (linear scan: for short lists). */
export function pickWeighted(weights: ArrayLike<number>, random: Random): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

export function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * gaussian(random));
}

export function uniformInt(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** Splits `total` into integer parts proportional to weights, summing exactly to total
 * (largest remainder method). */
export function apportion(weights: ArrayLike<number>, total: number): Int32Array {
  const n = weights.length;
  const parts = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i];
  if (n === 0 || total === 0 || sum <= 0) return parts;
  const remainders = new Float64Array(n);
  let assigned = 0;
  for (let i = 0; i < n; i++) {
    const exact = (weights[i] / sum) * total;
    parts[i] = Math.floor(exact);
    remainders[i] = exact - parts[i];
    assigned += parts[i];
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => remainders[b] - remainders[a] || a - b);
  for (let k = 0; assigned < total; k++, assigned++) parts[order[k % n]]++;
  return parts;
}

/** Walker's alias method (Walker 1977; Vose 1991 construction): O(1) draws from a fixed
 * discrete distribution over `items`. */
export class AliasTable {
  readonly items: Int32Array;
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;

  constructor(items: ArrayLike<number>, weights: ArrayLike<number>) {
    const n = items.length;
    if (n === 0 || weights.length !== n) {
      throw new RangeError(`alias table needs matching non-empty items and weights, got ${n} and ${weights.length}`);
    }
    this.items = Int32Array.from(items);
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i];
    if (!(sum > 0)) throw new RangeError(`alias table weights must sum above 0, got ${sum}`);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / sum;
      (scaled[i] < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.probability[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.probability[i] = 1;
    for (const i of small) this.probability[i] = 1;
  }

  draw(random: Random): number {
    const u = random() * this.items.length;
    const slot = Math.floor(u);
    return this.items[u - slot < this.probability[slot] ? slot : this.alias[slot]];
  }
}
