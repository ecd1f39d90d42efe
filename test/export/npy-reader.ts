import { expect } from "vitest";

/** A second .npy reader, written from the format's documentation rather than from our writer. */
export function readNpy(bytes: Uint8Array): { shape: number[]; descr: string; fortran: boolean; data: Float32Array; dataOffset: number } {
  expect(Array.from(bytes.subarray(0, 6))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
  expect([bytes[6], bytes[7]]).toEqual([1, 0]);
  const headerLength = bytes[8] | (bytes[9] << 8);
  const header = new TextDecoder("latin1").decode(bytes.subarray(10, 10 + headerLength));
  expect(header.endsWith("\n")).toBe(true);
  expect((10 + headerLength) % 64).toBe(0); // numpy aligns the data to 64 bytes
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)![1] === "True";
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const dataOffset = 10 + headerLength;
  const count = shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, count * 4);
  return { shape, descr, fortran, data: Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true)), dataOffset };
}
