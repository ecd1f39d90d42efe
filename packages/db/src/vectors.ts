/** Float32Array <-> little-endian bytes, the storage format of every vector column. */
export function float32ToBytes(values: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`vector bytes must be a multiple of 4, got ${bytes.byteLength}`);
  const out = new Float32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Quantises values in [min, max] to one byte each (a log-mel spectrogram in dB loses nothing
 * audible at 80 dB / 255 steps), keeping the stored spectrograms a quarter of float32 size.
 */
export function quantizeToBytes(values: Float32Array, min: number, max: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(values.length);
  const scale = 255 / (max - min);
  for (let i = 0; i < values.length; i++) {
    out[i] = Math.max(0, Math.min(255, Math.round((values[i] - min) * scale)));
  }
  return out;
}

export function dequantizeBytes(bytes: Uint8Array, min: number, max: number): Float32Array {
  const out = new Float32Array(bytes.length);
  const step = (max - min) / 255;
  for (let i = 0; i < bytes.length; i++) out[i] = min + bytes[i] * step;
  return out;
}
