import { mean, probit, sampleStandardDeviation } from "simple-statistics";

/** A measured value with its two-sided confidence interval, and what it is over. */
export interface Estimate {
  value: number;
  lower: number;
  upper: number;
  n: number;
}

/** z of a two-sided interval at `level` (1.96 at 95%), from simple-statistics' inverse normal. */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return probit(1 - (1 - level) / 2);
}

/**
 * A proportion k of n with the Wilson score interval (Wilson 1927; Brown, Cai and DasGupta 2001
 * recommend it over the normal interval for small n and rates near 0 or 1).
 */
export function proportion(k: number, n: number, level = 0.95): Estimate {
  if (n === 0) return { value: 0, lower: 0, upper: 1, n: 0 };
  const z = zFor(level),
    p = k / n,
    z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), n };
}

/**
 * The mean of per-listener rates with a normal interval from their sample spread. Slots of one
 * listener are not independent (one listener opens or ignores the whole playlist), so the
 * listener, not the slot, is the unit: this is the cluster-level interval. Rates stay in 0..1.
 */
export function meanOfRates(rates: number[], level = 0.95): Estimate {
  const n = rates.length;
  if (n === 0) return { value: 0, lower: 0, upper: 1, n: 0 };
  const m = mean(rates);
  if (n < 2) return { value: m, lower: 0, upper: 1, n };
  const half = (zFor(level) * sampleStandardDeviation(rates)) / Math.sqrt(n);
  return { value: m, lower: Math.max(0, m - half), upper: Math.min(1, m + half), n };
}
