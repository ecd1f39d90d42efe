/** encodeWav: mono 16-bit PCM RIFF/WAVE bytes. */

export const WAV_HEADER_BYTES = 44;

/** Samples are clamped to [-1, 1] and scaled by 32767 (symmetric, so 0 stays 0). */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 384_000) {
    throw new RangeError(`sampleRate must be an integer 1..384000, got ${sampleRate}`);
  }
  const dataBytes = samples.length * 2;
  const bytes = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] || 0));
    view.setInt16(WAV_HEADER_BYTES + i * 2, Math.round(s * 32767), true);
  }
  return bytes;
}

/** Bytes of a mono 16-bit clip: for sizing a world's audio on disk before writing it. */
export function wavByteLength(sampleRate: number, seconds: number): number {
  return WAV_HEADER_BYTES + Math.round(seconds * sampleRate) * 2;
}
