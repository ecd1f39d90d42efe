/**
 * The two inner loops of the CG row solve as a tiny hand-assembled WebAssembly module with
 * 128-bit SIMD (f32x4), over one shared memory so worker threads run it on the same data:
 *   gemv(g, v, out, k):                 out = G v for a k x k row-major G
 *   sparse(y, idx, conf, q0, q1, p, out, k, mode):
 *     for q in [q0, q1): t = y_idx[q] . p; out += (mode ? c - (c - 1) t : (c - 1) t) y_idx[q]
 * Pointers are byte offsets; k must be a multiple of 4. Everything else stays in TypeScript.
 */

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const vec = (bytes: number[]) => [...uleb(bytes.length), ...bytes];
const section = (id: number, items: number[][]) => [id, ...vec([...uleb(items.length), ...items.flat()])];

// Instruction helpers (opcodes from the WebAssembly core and SIMD specifications).
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32c = (n: number) => [0x41, ...sleb(n)];
const add = [0x6a], mul = [0x6c], shl = [0x74], geU = [0x4f];
const f32add = [0x92], f32sub = [0x93], f32mul = [0x94];
const i32load = [0x28, 2, 0], f32load = [0x2a, 2, 0], f32store = [0x38, 2, 0];
const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
const v128load = simd(0, 4, 0), v128store = simd(11, 4, 0);
const f32x4splat = simd(19), f32x4add = simd(228), f32x4mul = simd(230);
const lane = (l: number) => simd(31, l);
const v128zero = simd(12, ...new Array(16).fill(0));
const f32one = [0x43, 0x00, 0x00, 0x80, 0x3f];

/** block { loop { if (counter >= limit) break; body; counter += step; continue } } */
function forLoop(counter: number, limit: number[], step: number, body: number[]): number[] {
  return [
    0x02, 0x40, 0x03, 0x40,
    ...get(counter), ...limit, ...geU, 0x0d, 1,
    ...body,
    ...get(counter), ...i32c(step), ...add, ...set(counter),
    0x0c, 0,
    0x0b, 0x0b,
  ];
}

/** address = base + (index << 2) */
const at = (base: number[], index: number) => [...base, ...get(index), ...i32c(2), ...shl, ...add];
/** Sum of the four lanes of a v128 local. */
const hsum = (v: number) => [...get(v), ...lane(0), ...get(v), ...lane(1), ...f32add, ...get(v), ...lane(2), ...f32add, ...get(v), ...lane(3), ...f32add];

function gemvBody(): number[] {
  // params: g0 v1 out2 k3; locals: a4 b5 row6 (i32), acc7 (v128)
  const [g, v, out, k, a, b, row, acc] = [0, 1, 2, 3, 4, 5, 6, 7];
  const inner = [
    ...get(acc), ...at(get(row), b), ...v128load, ...at(get(v), b), ...v128load, ...f32x4mul, ...f32x4add, ...set(acc),
  ];
  const outer = [
    ...v128zero, ...set(acc), ...i32c(0), ...set(b),
    ...get(g), ...get(a), ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(row),
    ...forLoop(b, get(k), 4, inner),
    ...at(get(out), a), ...hsum(acc), ...f32store,
  ];
  const locals = [...uleb(2), ...uleb(3), I32, ...uleb(1), V128];
  return vec([...locals, ...i32c(0), ...set(a), ...forLoop(a, get(k), 1, outer), 0x0b]);
}

function sparseBody(): number[] {
  // params: y0 idx1 conf2 q0_3 q1_4 p5 out6 k7 mode8; locals: q9 b10 yi11 (i32), c12 coef13 (f32), acc14 cv15 (v128)
  const [y, idx, conf, q0, q1, p, out, k, mode, q, b, yi, c, coef, acc, cv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const dot = [...get(acc), ...at(get(yi), b), ...v128load, ...at(get(p), b), ...v128load, ...f32x4mul, ...f32x4add, ...set(acc)];
  const axpy = [
    ...at(get(out), b),
    ...at(get(out), b), ...v128load, ...get(cv), ...at(get(yi), b), ...v128load, ...f32x4mul, ...f32x4add,
    ...v128store,
  ];
  const body = [
    // yi = y + idx[q] * k * 4
    ...get(y), ...at(get(idx), q), ...i32load, ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(yi),
    ...v128zero, ...set(acc), ...i32c(0), ...set(b),
    ...forLoop(b, get(k), 4, dot),
    ...at(get(conf), q), ...f32load, ...set(c),
    // coef = (c - 1) * t; in residual mode coef = c - coef
    ...get(c), ...f32one, ...f32sub, ...hsum(acc), ...f32mul, ...set(coef),
    ...get(mode), 0x04, 0x40, ...get(c), ...get(coef), ...f32sub, ...set(coef), 0x0b,
    ...get(coef), ...f32x4splat, ...set(cv),
    ...i32c(0), ...set(b),
    ...forLoop(b, get(k), 4, axpy),
  ];
  const locals = [...uleb(3), ...uleb(3), I32, ...uleb(2), F32, ...uleb(2), V128];
  return vec([...locals, ...get(q0), ...set(q), ...forLoop(q, get(q1), 1, body), 0x0b]);
}

/** The module's bytes; it imports `env.memory` (shared, `pages` 64 KiB pages, fixed size). */
export function simdModuleBytes(pages: number): Uint8Array<ArrayBuffer> {
  const type = (params: number) => [0x60, ...uleb(params), ...new Array(params).fill(I32), 0];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [type(4), type(9)]),
    ...section(2, [[...vec([..."env"].map((ch) => ch.charCodeAt(0))), ...vec([..."memory"].map((ch) => ch.charCodeAt(0))), 0x02, 0x03, ...uleb(pages), ...uleb(pages)]]),
    ...section(3, [[0], [1]]),
    ...section(7, [
      [...vec([..."gemv"].map((ch) => ch.charCodeAt(0))), 0x00, 0],
      [...vec([..."sparse"].map((ch) => ch.charCodeAt(0))), 0x00, 1],
    ]),
    ...section(10, [gemvBody(), sparseBody()]),
  ];
  return Uint8Array.from(bytes);
}

export interface SimdKernels {
  gemv(g: number, v: number, out: number, k: number): void;
  sparse(y: number, idx: number, conf: number, q0: number, q1: number, p: number, out: number, k: number, mode: number): void;
}

/** Instantiates the kernels over a shared memory (synchronously: the module is tiny). */
export function instantiateSimd(memory: WebAssembly.Memory, pages: number): SimdKernels {
  const module = new WebAssembly.Module(simdModuleBytes(pages));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
}

/** Whether this runtime runs WebAssembly SIMD with shared memory. */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(simdModuleBytes(1));
  } catch {
    return false;
  }
}
