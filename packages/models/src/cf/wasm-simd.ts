/**
 * The two inner loops of the CG row solve as a tiny hand-assembled WebAssembly module with
 * 128-bit SIMD (f32x4), over one shared memory so worker threads run it on the same data:
 *   gemv(g, v, out, k):                 out = G v for a k x k row-major G
 *   sparse(y, idx, conf, q0, q1, p, out, k, mode):
 *     for q in [q0, q1): t = y_idx[q] . p; out += (mode ? c - (c - 1) t : (c - 1) t) y_idx[q]
 *   scores(x, y, bias, out, n, m, k):   out[u][i] = x_u . y_i + bias[i] for n queries, m items
 *   gram(y, m, k, out):                 out += Y^T Y for an m x k row-major Y
 *   dot(a, b, k) and combine(dst, src, k, a, b): dst = a src + b dst, the CG vector steps
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

const and = [0x71];
const v128loadAt = (offset: number) => simd(0, 4, ...uleb(offset));
const v128storeAt = (offset: number) => simd(11, 4, ...uleb(offset));
const k16 = (k: number) => [...get(k), ...i32c(-16), ...and];

/**
 * Leaves a . b (k floats at byte addresses in locals `pa`, `pb`) on the stack: four independent
 * accumulators over 16-float blocks (block addresses in `ta`, `tb`, lanes by load offsets) so
 * the adds do not wait on each other, then 4-float blocks.
 */
function dotProduct(pa: number, pb: number, b: number, k: number, acc: [number, number, number, number], ta: number, tb: number): number[] {
  const block = (a: number, offset: number) => [
    ...get(a), ...get(ta), ...v128loadAt(offset), ...get(tb), ...v128loadAt(offset), ...f32x4mul, ...f32x4add, ...set(a),
  ];
  const tail = [...get(acc[0]), ...at(get(pa), b), ...v128load, ...at(get(pb), b), ...v128load, ...f32x4mul, ...f32x4add, ...set(acc[0])];
  return [
    ...acc.flatMap((a) => [...v128zero, ...set(a)]),
    ...i32c(0), ...set(b),
    ...forLoop(b, k16(k), 16, [
      ...at(get(pa), b), ...set(ta), ...at(get(pb), b), ...set(tb),
      ...block(acc[0], 0), ...block(acc[1], 16), ...block(acc[2], 32), ...block(acc[3], 48),
    ]),
    ...forLoop(b, get(k), 4, tail),
    ...get(acc[0]), ...get(acc[1]), ...f32x4add, ...get(acc[2]), ...f32x4add, ...get(acc[3]), ...f32x4add, ...set(acc[0]),
    ...hsum(acc[0]),
  ];
}

/** dst += s * src over k floats (byte addresses in locals), 16 floats per block then 4. */
function axpy(dst: number, src: number, sv: number, b: number, k: number, td: number, ts: number): number[] {
  const block = (offset: number) => [
    ...get(td), ...get(td), ...v128loadAt(offset), ...get(sv), ...get(ts), ...v128loadAt(offset), ...f32x4mul, ...f32x4add, ...v128storeAt(offset),
  ];
  const tail = [
    ...at(get(dst), b), ...at(get(dst), b), ...v128load, ...get(sv), ...at(get(src), b), ...v128load, ...f32x4mul, ...f32x4add, ...v128store,
  ];
  return [
    ...i32c(0), ...set(b),
    ...forLoop(b, k16(k), 16, [...at(get(dst), b), ...set(td), ...at(get(src), b), ...set(ts), ...block(0), ...block(16), ...block(32), ...block(48)]),
    ...forLoop(b, get(k), 4, tail),
  ];
}

function gemvBody(): number[] {
  // params: g0 v1 out2 k3; locals: a4 b5 row6 (i32), acc7..10 (v128)
  const [g, v, out, k, a, b, row] = [0, 1, 2, 3, 4, 5, 6];
  const outer = [
    ...get(g), ...get(a), ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(row),
    ...at(get(out), a), ...dotProduct(row, v, b, k, [7, 8, 9, 10], 11, 12), ...f32store,
  ];
  const locals = [...uleb(3), ...uleb(3), I32, ...uleb(4), V128, ...uleb(2), I32];
  return vec([...locals, ...i32c(0), ...set(a), ...forLoop(a, get(k), 1, outer), 0x0b]);
}

function sparseBody(): number[] {
  // params: y0 idx1 conf2 q0_3 q1_4 p5 out6 k7 mode8; locals: q9 b10 yi11 (i32), c12 coef13 (f32), cv14 acc15..18 (v128)
  const [y, idx, conf, q0, q1, p, out, k, mode, q, b, yi, c, coef, cv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const body = [
    // yi = y + idx[q] * k * 4
    ...get(y), ...at(get(idx), q), ...i32load, ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(yi),
    ...at(get(conf), q), ...f32load, ...set(c),
    // coef = (c - 1) * t; in residual mode coef = c - coef
    ...get(c), ...f32one, ...f32sub, ...dotProduct(yi, p, b, k, [15, 16, 17, 18], 19, 20), ...f32mul, ...set(coef),
    ...get(mode), 0x04, 0x40, ...get(c), ...get(coef), ...f32sub, ...set(coef), 0x0b,
    ...get(coef), ...f32x4splat, ...set(cv),
    ...axpy(out, yi, cv, b, k, 19, 20),
  ];
  const locals = [...uleb(4), ...uleb(3), I32, ...uleb(2), F32, ...uleb(5), V128, ...uleb(2), I32];
  return vec([...locals, ...get(q0), ...set(q), ...forLoop(q, get(q1), 1, body), 0x0b]);
}

function scoresBody(): number[] {
  // params: x0 y1 bias2 out3 n4 m5 k6; locals: u7 i8 b9 xu10 yi11 o12 (i32), acc13..16 (v128)
  const [x, y, bias, out, n, m, k, u, i, b, xu, yi, o] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const perItem = [
    ...get(y), ...get(i), ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(yi),
    ...at(get(o), i), ...dotProduct(xu, yi, b, k, [13, 14, 15, 16], 17, 18), ...at(get(bias), i), ...f32load, ...f32add, ...f32store,
  ];
  const perQuery = [
    ...get(x), ...get(u), ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(xu),
    ...get(out), ...get(u), ...get(m), ...mul, ...i32c(2), ...shl, ...add, ...set(o),
    ...i32c(0), ...set(i),
    ...forLoop(i, get(m), 1, perItem),
  ];
  const locals = [...uleb(3), ...uleb(6), I32, ...uleb(4), V128, ...uleb(2), I32];
  return vec([...locals, ...i32c(0), ...set(u), ...forLoop(u, get(n), 1, perQuery), 0x0b]);
}

function gramBody(): number[] {
  // params: y0 m1 k2 out3; locals: r4 a5 b6 yr7 row8 (i32), s9 (v128), td10 ts11 (i32). out += sum_r y_r y_r^T
  const [y, m, k, out, r, a, b, yr, row, sv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const perA = [
    ...at(get(yr), a), ...f32load, ...f32x4splat, ...set(sv),
    ...get(out), ...get(a), ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(row),
    ...axpy(row, yr, sv, b, k, 10, 11),
  ];
  const perRow = [
    ...get(y), ...get(r), ...get(k), ...mul, ...i32c(2), ...shl, ...add, ...set(yr),
    ...i32c(0), ...set(a),
    ...forLoop(a, get(k), 1, perA),
  ];
  const locals = [...uleb(3), ...uleb(5), I32, ...uleb(1), V128, ...uleb(2), I32];
  return vec([...locals, ...i32c(0), ...set(r), ...forLoop(r, get(m), 1, perRow), 0x0b]);
}

function dotBody(): number[] {
  // params: a0 b1 k2 -> f32; locals: i3 (i32), acc4..7 (v128), ta8 tb9 (i32)
  const locals = [...uleb(3), ...uleb(1), I32, ...uleb(4), V128, ...uleb(2), I32];
  return vec([...locals, ...dotProduct(0, 1, 3, 2, [4, 5, 6, 7], 8, 9), 0x0b]);
}

function combineBody(): number[] {
  // params: dst0 src1 k2 a3 b4 (f32); locals: i5 (i32), av6 bv7 (v128). dst = a src + b dst
  const [dst, src, k, a, b, i, av, bv] = [0, 1, 2, 3, 4, 5, 6, 7];
  const inner = [
    ...at(get(dst), i),
    ...get(av), ...at(get(src), i), ...v128load, ...f32x4mul,
    ...get(bv), ...at(get(dst), i), ...v128load, ...f32x4mul, ...f32x4add,
    ...v128store,
  ];
  const locals = [...uleb(2), ...uleb(1), I32, ...uleb(2), V128];
  return vec([
    ...locals,
    ...get(a), ...f32x4splat, ...set(av), ...get(b), ...f32x4splat, ...set(bv),
    ...i32c(0), ...set(i), ...forLoop(i, get(k), 4, inner), 0x0b,
  ]);
}

/** The module's bytes; it imports `env.memory` (shared, `pages` 64 KiB pages, fixed size). */
export function simdModuleBytes(pages: number): Uint8Array<ArrayBuffer> {
  const type = (params: number) => [0x60, ...uleb(params), ...new Array(params).fill(I32), 0];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [type(4), type(9), type(7), [0x60, 3, I32, I32, I32, 1, F32], [0x60, 5, I32, I32, I32, F32, F32, 0]]),
    ...section(2, [[...vec([..."env"].map((ch) => ch.charCodeAt(0))), ...vec([..."memory"].map((ch) => ch.charCodeAt(0))), 0x02, 0x03, ...uleb(pages), ...uleb(pages)]]),
    ...section(3, [[0], [1], [2], [0], [3], [4]]),
    ...section(7, [
      [...vec([..."gemv"].map((ch) => ch.charCodeAt(0))), 0x00, 0],
      [...vec([..."sparse"].map((ch) => ch.charCodeAt(0))), 0x00, 1],
      [...vec([..."scores"].map((ch) => ch.charCodeAt(0))), 0x00, 2],
      [...vec([..."gram"].map((ch) => ch.charCodeAt(0))), 0x00, 3],
      [...vec([..."dot"].map((ch) => ch.charCodeAt(0))), 0x00, 4],
      [...vec([..."combine"].map((ch) => ch.charCodeAt(0))), 0x00, 5],
    ]),
    ...section(10, [gemvBody(), sparseBody(), scoresBody(), gramBody(), dotBody(), combineBody()]),
  ];
  return Uint8Array.from(bytes);
}

export interface SimdKernels {
  gemv(g: number, v: number, out: number, k: number): void;
  sparse(y: number, idx: number, conf: number, q0: number, q1: number, p: number, out: number, k: number, mode: number): void;
  scores(x: number, y: number, bias: number, out: number, n: number, m: number, k: number): void;
  gram(y: number, m: number, k: number, out: number): void;
  /** a . b over k floats. */
  dot(a: number, b: number, k: number): number;
  /** dst = a src + b dst over k floats. */
  combine(dst: number, src: number, k: number, a: number, b: number): void;
}

let scratch: { pages: number; memory: WebAssembly.Memory; kernels: SimdKernels } | undefined;

/** A scratch memory of at least `floats` floats, kept between calls and replaced when too small. */
function scratchFor(floats: number): { f: Float32Array; kernels: SimdKernels } | null {
  const pages = Math.ceil((floats * 4) / 65_536) + 1;
  if (pages > 65_536) return null;
  if (!scratch || scratch.pages < pages) {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    scratch = { pages, memory, kernels: instantiateSimd(memory, pages) };
  }
  return { f: new Float32Array(scratch.memory.buffer), kernels: scratch.kernels };
}

const round4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * X Y^T (+ bias) through the SIMD kernel, inputs copied into the scratch memory. Returns null
 * when they would not fit in 4 GiB.
 */
export function simdScores(x: Float32Array, y: Float32Array, bias: Float32Array | null, n: number, m: number, k: number): Float32Array | null {
  const [xAt, yAt, biasAt, outAt] = [0, round4(n * k), round4(n * k) + round4(m * k), round4(n * k) + round4(m * k) + round4(m)];
  const space = scratchFor(outAt + n * m);
  if (!space) return null;
  const { f, kernels } = space;
  f.set(x.subarray(0, n * k), xAt);
  f.set(y.subarray(0, m * k), yAt);
  if (bias) f.set(bias.subarray(0, m), biasAt);
  else f.fill(0, biasAt, biasAt + m);
  kernels.scores(xAt * 4, yAt * 4, biasAt * 4, outAt * 4, n, m, k);
  return f.slice(outAt, outAt + n * m);
}

/** Y^T Y (k x k) through the SIMD kernel, float32 sums; null when it would not fit in 4 GiB. */
export function simdGram(y: Float32Array, m: number, k: number): Float32Array | null {
  const outAt = round4(m * k);
  const space = scratchFor(outAt + k * k);
  if (!space) return null;
  const { f, kernels } = space;
  f.set(y.subarray(0, m * k), 0);
  f.fill(0, outAt, outAt + k * k);
  kernels.gram(0, m, k, outAt * 4);
  return f.slice(outAt, outAt + k * k);
}

/** Instantiates the kernels over a shared memory (synchronously: the module is tiny). */
export function instantiateSimd(memory: WebAssembly.Memory, pages: number): SimdKernels {
  const module = new WebAssembly.Module(simdModuleBytes(pages));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
}

let supported: boolean | undefined;

/** Whether this runtime runs WebAssembly SIMD with shared memory (checked once). */
export function simdSupported(): boolean {
  if (supported === undefined) {
    try {
      supported = WebAssembly.validate(simdModuleBytes(1));
    } catch {
      supported = false;
    }
  }
  return supported;
}
