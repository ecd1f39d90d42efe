/**
 * In-place iterative radix-2 complex FFT over split real/imaginary Float64Arrays
 * (Cooley-Tukey decimation in time, bit-reversed input order). Twiddles are cached per size.
 */
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array; reversed: Uint32Array }>();

function plan(size: number) {
  let cached = twiddleCache.get(size);
  if (cached) return cached;
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 2, got ${size}`);
  const half = size / 2;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / size);
    sin[i] = -Math.sin((2 * Math.PI * i) / size);
  }
  const bits = Math.log2(size);
  const reversed = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reversed[i] = r;
  }
  cached = { cos, sin, reversed };
  twiddleCache.set(size, cached);
  return cached;
}

/** Forward DFT X[k] = sum x[n] e^{-2 pi i k n / N}, in place on (re, im). */
export function fft(re: Float64Array, im: Float64Array): void {
  const size = re.length;
  if (im.length !== size) throw new RangeError(`fft: re has ${size} values but im has ${im.length}`);
  const { cos, sin, reversed } = plan(size);
  for (let i = 0; i < size; i++) {
    const j = reversed[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let span = 1; span < size; span *= 2) {
    const step = size / (2 * span);
    for (let start = 0; start < size; start += 2 * span) {
      for (let k = 0; k < span; k++) {
        const wr = cos[k * step];
        const wi = sin[k * step];
        const a = start + k;
        const b = a + span;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** Magnitude spectrum |X[k]|, k = 0..N/2, of one real frame of power-of-two length N. */
export function magnitudeSpectrum(frame: Float32Array | Float64Array, out = new Float32Array(frame.length / 2 + 1)): Float32Array {
  const size = frame.length;
  const re = new Float64Array(frame);
  const im = new Float64Array(size);
  fft(re, im);
  for (let k = 0; k <= size / 2; k++) out[k] = Math.hypot(re[k], im[k]);
  return out;
}
