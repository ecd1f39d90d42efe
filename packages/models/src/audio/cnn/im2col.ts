/**
 * Helpers for the CPU convolution: a clip [cin][t] is unfolded into rows [t][k * cin] (one
 * row per output frame, holding the k input frames it sees), so a conv becomes long
 * contiguous dot products, about twice as fast in V8 as sliding short rows.
 */

/** Weights [cout][cin][k] reordered to [cout][k][cin] to match the unfolded rows. */
export function reorderWeights(w: Float32Array, cin: number, cout: number, k: number): Float32Array {
  const width = cin * k;
  const out = new Float32Array(cout * width);
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) for (let j = 0; j < k; j++) out[o * width + j * cin + c] = w[(o * cin + c) * k + j];
  }
  return out;
}

/** Unfolds clip s of x [n][cin][t] into `col` [t][k * cin], zeros where the window leaves the clip. */
export function unfold(x: Float32Array, s: number, cin: number, t: number, k: number, col: Float32Array): void {
  const pad = (k - 1) >> 1,
    width = cin * k;
  col.fill(0);
  for (let c = 0; c < cin; c++) {
    const xOff = (s * cin + c) * t;
    for (let j = 0; j < k; j++) {
      const shift = j - pad;
      const from = Math.max(0, -shift),
        to = Math.min(t, t - shift);
      for (let f = from; f < to; f++) col[f * width + j * cin + c] = x[xOff + f + shift];
    }
  }
}

/** Adds the unfolded gradient `dcol` [t][k * cin] back onto clip s of dx [n][cin][t]. */
export function fold(dcol: Float32Array, s: number, cin: number, t: number, k: number, dx: Float32Array): void {
  const pad = (k - 1) >> 1,
    width = cin * k;
  for (let c = 0; c < cin; c++) {
    const dxOff = (s * cin + c) * t;
    for (let j = 0; j < k; j++) {
      const shift = j - pad;
      const from = Math.max(0, -shift),
        to = Math.min(t, t - shift);
      for (let f = from; f < to; f++) dx[dxOff + f + shift] += dcol[f * width + j * cin + c];
    }
  }
}
