/**
 * Band-limited sample-rate conversion by a rational factor up/down (polyphase windowed sinc).
 * essentia.js's own Resample algorithm throws, so conversion happens here over Float32Array.
 */

/** Zero crossings of the sinc kept on each side of the centre, at the lower of the two rates. */
const ZERO_CROSSINGS = 16;
/** Kaiser beta: about 80 dB stop-band attenuation (Kaiser's formula beta = 0.1102 (A - 8.7)). */
const KAISER_BETA = 8;
/** Pass-band edge as a share of the lower Nyquist frequency; the transition band ends at Nyquist. */
const ROLLOFF = 0.94;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

// Zeroth-order modified Bessel function of the first kind, by its power series.
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * Resamples mono `samples` from `fromRate` to `toRate` Hz. Both rates must be integers; the
 * filter keeps frequencies below 94% of the lower Nyquist frequency and removes the rest.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  for (const [name, rate] of [
    ["fromRate", fromRate],
    ["toRate", toRate],
  ] as const) {
    if (!Number.isInteger(rate) || rate < 1000 || rate > 384_000) {
      throw new RangeError(`${name} must be an integer 1000..384000 Hz, got ${rate}`);
    }
  }
  if (fromRate === toRate) return samples.slice();
  const g = gcd(fromRate, toRate);
  const up = toRate / g; // L: output phases per input sample
  const down = fromRate / g; // M: input step per output sample, in phases
  // Filter designed at the upsampled rate L * fromRate; cutoff relative to the input rate.
  const cutoff = ROLLOFF * Math.min(1, up / down);
  const halfTaps = Math.ceil(ZERO_CROSSINGS / cutoff); // taps per side, in input samples
  const taps = 2 * halfTaps;
  // One row of `taps` coefficients per phase: phase p covers output positions k + p/up.
  const table = new Float32Array(up * taps);
  const i0Beta = besselI0(KAISER_BETA);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    for (let j = 0; j < taps; j++) {
      const d = j - halfTaps + 1 - frac; // input sample (floor + j - halfTaps + 1) minus position
      const r = d / halfTaps;
      if (Math.abs(r) >= 1) continue;
      const x = Math.PI * cutoff * d;
      const sinc = x === 0 ? 1 : Math.sin(x) / x;
      const window = besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      table[p * taps + j] = cutoff * sinc * window;
    }
  }
  const n = samples.length;
  const outLength = Math.floor(((n - 1) * up) / down) + 1;
  const out = new Float32Array(outLength);
  for (let k = 0; k < outLength; k++) {
    const pos = k * down; // position in units of 1/up input samples
    const base = Math.floor(pos / up);
    const phase = pos - base * up;
    const row = phase * taps;
    const start = base - halfTaps + 1;
    let acc = 0;
    if (start >= 0 && start + taps <= n) {
      for (let j = 0; j < taps; j++) acc += samples[start + j] * table[row + j];
    } else {
      for (let j = 0; j < taps; j++) {
        const i = start + j;
        if (i >= 0 && i < n) acc += samples[i] * table[row + j];
      }
    }
    out[k] = acc;
  }
  return out;
}
