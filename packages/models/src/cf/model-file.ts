import type { DenseMatrix } from "../core/matrix.ts";

/** A model file that cannot be read: wrong magic, unsupported version, truncated or corrupt. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFileError";
  }
}

export type ModelKind = "als" | "lmf" | "popularity" | "ease";

const magic = [0x44, 0x43, 0x43, 0x46]; // "DCCF": Deepcuts collaborative filtering
const formatVersion = 1;
const kindCodes: Record<ModelKind, number> = { als: 1, lmf: 2, popularity: 3, ease: 4 };

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3 polynomial, reflected), to detect corrupt files. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let b = 0; b < 8; b++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Layout (little-endian): "DCCF", u16 version, u8 kind, u8 matrix count, u32 JSON length, the
 * parameters as UTF-8 JSON padded to 4 bytes, then per matrix u32 rows, u32 cols and rows*cols
 * float32 values, and a trailing u32 CRC-32 of everything before it.
 */
export function writeModelFile(kind: ModelKind, params: object, matrices: DenseMatrix[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(params));
  const jsonPadded = (json.length + 3) & ~3;
  let size = 12 + jsonPadded + 4;
  for (const m of matrices) size += 8 + m.rows * m.cols * 4;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(magic, 0);
  view.setUint16(4, formatVersion, true);
  view.setUint8(6, kindCodes[kind]);
  view.setUint8(7, matrices.length);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  let at = 12 + jsonPadded;
  for (const m of matrices) {
    view.setUint32(at, m.rows, true);
    view.setUint32(at + 4, m.cols, true);
    at += 8;
    for (let i = 0; i < m.rows * m.cols; i++, at += 4) view.setFloat32(at, m.data[i], true);
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

export interface ModelFile {
  params: Record<string, unknown>;
  matrices: DenseMatrix[];
}

/** Reads a model file written by `writeModelFile`, checking every size, the kind and the checksum. */
export function readModelFile(bytes: Uint8Array, expected: ModelKind): ModelFile {
  if (!(bytes instanceof Uint8Array)) throw new ModelFileError("model file must be a Uint8Array");
  if (bytes.length < 16) throw new ModelFileError(`model file is truncated: ${bytes.length} bytes, a header needs 16`);
  if (magic.some((b, i) => bytes[i] !== b)) throw new ModelFileError("not a Deepcuts CF model file: magic 'DCCF' missing");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== formatVersion) throw new ModelFileError(`model file version ${version} is not supported (this code reads ${formatVersion})`);
  const kindCode = view.getUint8(6);
  if (kindCode !== kindCodes[expected]) {
    const found = Object.entries(kindCodes).find(([, c]) => c === kindCode)?.[0] ?? `unknown kind ${kindCode}`;
    throw new ModelFileError(`model file holds a ${found} model, expected ${expected}`);
  }
  const stored = view.getUint32(bytes.length - 4, true);
  const actual = crc32(bytes.subarray(0, bytes.length - 4));
  if (stored !== actual) {
    throw new ModelFileError(`model file is corrupt or truncated: checksum ${actual.toString(16)} != stored ${stored.toString(16)} (${bytes.length} bytes)`);
  }
  const count = view.getUint8(7);
  const jsonLength = view.getUint32(8, true);
  let at = 12 + ((jsonLength + 3) & ~3);
  if (at > bytes.length - 4) throw new ModelFileError(`model file is truncated: parameters need ${jsonLength} bytes`);
  let params: Record<string, unknown>;
  try {
    params = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(12, 12 + jsonLength))) as Record<string, unknown>;
  } catch (error) {
    throw new ModelFileError(`model file parameters are not valid JSON: ${(error as Error).message}`);
  }
  const matrices: DenseMatrix[] = [];
  for (let m = 0; m < count; m++) {
    if (at + 8 > bytes.length - 4) throw new ModelFileError(`model file is truncated before matrix ${m}`);
    const rows = view.getUint32(at, true),
      cols = view.getUint32(at + 4, true);
    at += 8;
    const values = rows * cols;
    if (at + values * 4 > bytes.length - 4) throw new ModelFileError(`model file is truncated inside matrix ${m} (${rows}x${cols})`);
    const data = new Float32Array(values);
    for (let i = 0; i < values; i++, at += 4) data[i] = view.getFloat32(at, true);
    matrices.push({ rows, cols, data });
  }
  if (at !== bytes.length - 4) throw new ModelFileError(`model file has ${bytes.length - 4 - at} unexpected bytes after its matrices`);
  return { params, matrices };
}
