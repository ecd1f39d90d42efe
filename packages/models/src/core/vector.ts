// Float32 vector primitives shared by the typed-array kernels (cf/kernels-cpu.ts and
// audio/cnn/kernels-cpu.ts), the blend (blend/playlist.ts, blend/explain.ts), the exact scorer
// (score/select.ts) and the vector indexes (ann/vectors.ts): the one place the summation order
// of a dot product is written. Small enough for V8 to inline into their loops.

/** a[aOff ..] . b[bOff ..] over `length` values, four accumulators for instruction-level parallelism. */
export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, length: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    i = 0;
  for (; i + 3 < length; i += 4) {
    s0 += a[aOff + i] * b[bOff + i];
    s1 += a[aOff + i + 1] * b[bOff + i + 1];
    s2 += a[aOff + i + 2] * b[bOff + i + 2];
    s3 += a[aOff + i + 3] * b[bOff + i + 3];
  }
  for (; i < length; i++) s0 += a[aOff + i] * b[bOff + i];
  return s0 + s1 + s2 + s3;
}

/** y[yOff ..] += alpha * x[xOff ..] over `length` values. */
export function axpy(alpha: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number, length: number): void {
  for (let i = 0; i < length; i++) y[yOff + i] += alpha * x[xOff + i];
}

/**
 * Copies the rows scaled to unit length, so cosine similarity becomes a plain dot product.
 * A zero row stays zero (similarity 0 to everything).
 */
export function normaliseRows(data: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let off = 0; off < data.length; off += dim) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += data[off + j] * data[off + j];
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) out[off + j] = data[off + j] * inv;
  }
  return out;
}
