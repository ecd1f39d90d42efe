/**
 * A float32 matrix as a NumPy .npy file, format version 1.0
 * (numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the magic "\x93NUMPY", the
 * version, a little-endian uint16 header length, an ASCII dict literal padded with spaces and
 * ended by "\n" so the data starts at a multiple of 64 bytes, then the rows in C order, '<f4'.
 */
export function npyBytes(rows: number, cols: number, data: Float32Array): Uint8Array {
  if (data.length !== rows * cols) throw new RangeError(`need rows x cols = ${rows * cols} values, got ${data.length}`);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const preamble = 10;
  const headerLength = Math.ceil((preamble + dict.length + 1) / 64) * 64 - preamble;
  const out = new Uint8Array(preamble + headerLength + data.length * 4);
  out.set(
    [0x93, ..."NUMPY"].map((c) => (typeof c === "number" ? c : c.charCodeAt(0))),
    0,
  );
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerLength, true);
  const header = dict.padEnd(headerLength - 1, " ") + "\n";
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, preamble + headerLength);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}
