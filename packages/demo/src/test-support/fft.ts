/** In-place iterative radix-2 FFT (Cooley-Tukey), for the test detectors only. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0 || im.length !== n) throw new RangeError(`fft size must be a power of two, got ${n}`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = re[i];
      re[i] = re[j];
      re[j] = r;
      const m = im[i];
      im[i] = im[j];
      im[j] = m;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let start = 0; start < n; start += size) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < size / 2; k++) {
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
}

/** Magnitude spectra of Hann-windowed frames: calls `visit(frameIndex, magnitudes)` per frame. */
export function spectra(samples: Float32Array, frameSize: number, hop: number, visit: (frame: number, magnitudes: Float64Array) => void): void {
  const re = new Float64Array(frameSize);
  const im = new Float64Array(frameSize);
  const magnitudes = new Float64Array(frameSize / 2 + 1);
  const window = Float64Array.from({ length: frameSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frameSize));
  for (let frame = 0, start = 0; start + frameSize <= samples.length; frame++, start += hop) {
    for (let i = 0; i < frameSize; i++) {
      re[i] = samples[start + i] * window[i];
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < magnitudes.length; k++) magnitudes[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
    visit(frame, magnitudes);
  }
}
