/**
 * Binary container for a trained network: 8-byte magic "DCCNN\0\0\0", uint32 format version,
 * uint32 header length, a UTF-8 JSON header (sizes of every array and their FNV-1a checksum),
 * zero padding to a 4-byte boundary, then the arrays as little-endian float32, back to back.
 */
const MAGIC = [0x44, 0x43, 0x43, 0x4e, 0x4e, 0, 0, 0];
export const FORMAT_VERSION = 1;
const PREFIX = 16;

/** The bytes given to `load` are not a content network this code can read. */
export class CorruptModelError extends Error {
  constructor(problem: string) {
    super(`content network bytes are unreadable: ${problem}`);
    this.name = "CorruptModelError";
  }
}

interface Envelope<H> {
  header: H;
  arrayLengths: number[];
  checksum: number;
}

// FNV-1a over the payload bytes (Fowler, Noll, Vo), enough to catch truncation and bit rot.
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
  return hash;
}

export function encodeModel<H>(header: H, arrays: Float32Array[]): Uint8Array {
  const total = arrays.reduce((sum, a) => sum + a.length, 0);
  const payload = new Uint8Array(total * 4);
  const view = new DataView(payload.buffer);
  let at = 0;
  for (const array of arrays) for (let i = 0; i < array.length; i++, at += 4) view.setFloat32(at, array[i], true);
  const envelope: Envelope<H> = { header, arrayLengths: arrays.map((a) => a.length), checksum: fnv1a(payload) };
  const json = new TextEncoder().encode(JSON.stringify(envelope));
  const padded = Math.ceil(json.length / 4) * 4;
  const bytes = new Uint8Array(PREFIX + padded + payload.length);
  bytes.set(MAGIC, 0);
  const prefix = new DataView(bytes.buffer);
  prefix.setUint32(8, FORMAT_VERSION, true);
  prefix.setUint32(12, json.length, true);
  bytes.set(json, PREFIX);
  bytes.set(payload, PREFIX + padded);
  return bytes;
}

export function decodeModel<H>(bytes: Uint8Array): { header: H; arrays: Float32Array[] } {
  if (!(bytes instanceof Uint8Array)) throw new CorruptModelError(`expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < PREFIX || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new CorruptModelError(`missing the "DCCNN" magic header (${bytes.length} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) throw new CorruptModelError(`format version ${version}, this code reads ${FORMAT_VERSION}`);
  const jsonLength = view.getUint32(12, true);
  if (PREFIX + jsonLength > bytes.length) {
    throw new CorruptModelError(`header claims ${jsonLength} bytes but only ${bytes.length - PREFIX} follow the prefix`);
  }
  let envelope: Envelope<H>;
  try {
    envelope = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + jsonLength))) as Envelope<H>;
  } catch (error) {
    throw new CorruptModelError(`header is not valid JSON (${(error as Error).message})`);
  }
  if (!envelope || !Array.isArray(envelope.arrayLengths) || !envelope.arrayLengths.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new CorruptModelError("header has no valid arrayLengths list");
  }
  const start = PREFIX + Math.ceil(jsonLength / 4) * 4;
  const total = envelope.arrayLengths.reduce((sum, n) => sum + n, 0);
  if (bytes.length !== start + total * 4) {
    throw new CorruptModelError(`expected ${start + total * 4} bytes for ${total} weights, got ${bytes.length}`);
  }
  const payload = bytes.subarray(start);
  const checksum = fnv1a(payload);
  if (checksum !== envelope.checksum) throw new CorruptModelError(`payload checksum ${checksum} does not match header ${envelope.checksum}`);
  const payloadView = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 0;
  const arrays = envelope.arrayLengths.map((n) => {
    const array = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) array[i] = payloadView.getFloat32(at, true);
    return array;
  });
  return { header: envelope.header, arrays };
}
