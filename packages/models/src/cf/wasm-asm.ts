/**
 * A few helpers to write WebAssembly modules by hand: LEB128 numbers, sections, named locals and
 * the instructions the CF kernels use (opcodes from the WebAssembly core and SIMD specifications).
 * Every instruction helper returns its bytes, so a function body is a concatenation of arrays.
 *
 * How the generated kernels are made, tested and justified:
 * - Generated at run time, no build step and no toolchain: wasm-cg.ts writes the CG solve, Gram
 *   and finiteness kernels for one factor count k, wasm-simd.ts the scores kernel, each as bytes
 *   from these helpers, in a plain-SIMD and a relaxed-SIMD (fused multiply-add) variant;
 *   wasm-dots.ts writes the weekly run's float64 dot products and wasm-spd.ts EASE's inverse,
 *   plain SIMD only (a fused multiply-add would change their results). The product checks `WebAssembly.validate` first
 *   (`simdSupported`, `wasmDotsSupported` and `wasmSpdSupported`, each made by `validatesOnce`;
 *   `relaxedSimdSupported`) and uses the typed-array loops of kernels-cpu.ts and als-rows.ts,
 *   core/vector.ts's `dot` or spd-inverse.ts's loops where it fails.
 * - Readable: each module and variant is listed in the WebAssembly text format beside these files
 *   (wasm-cg.k12.wat, wasm-cg.k12.relaxed.wat, wasm-simd.wat, wasm-simd.relaxed.wat,
 *   wasm-dots.wat, wasm-spd.wat), written by packages/models/scripts/wasm-listing.ts (`npm run wasm:listing -w
 *   @deepcuts/models`) from the same bytes plus a name section; wasm-listing.test.ts fails when a
 *   listing is not current.
 * - Tested against those loops: wasm-cg.test.ts (every export, several k, both variants, NaN
 *   detection), wasm-simd.test.ts, wasm-dots.test.ts (equal to `dot` bit for bit), ease.test.ts
 *   (the inverse equal to spd-inverse.ts's loops bit for bit),
 *   kernels-cpu.test.ts (cpuKernels against typedArrayKernels) and als.test.ts (`simd: true` and
 *   `false` give the same factors within float32 rounding).
 * - Kept because `npm run bench:cf` times each against its alternatives in one run (figures in
 *   docs/cf.md, "Why the generated kernels stay"): on 2026-12-05 the CG solve took 20x
 *   fewer CPU seconds per ALS iteration than the typed-array CG, and the Gram and scores kernels
 *   ran 19x and 9x faster than the typed-array loops and 30x and 7x faster than gpu.js's
 *   WebAssembly backend; on 2026-12-07 the dot products ran 1.9-2.3x faster than `dot`; on
 *   2026-12-08 EASE's inverse 5.1-7.3x faster than its loops. Where one
 *   stops winning there, delete it and keep the alternative.
 */

export type Code = number[];

/** Value types. */
export const i32 = 0x7f,
  f32 = 0x7d,
  f64 = 0x7c,
  v128 = 0x7b;
export type ValueType = typeof i32 | typeof f32 | typeof f64 | typeof v128;

export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
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

/** Every module starts with the magic bytes "\0asm" and version 1. */
const moduleHeader = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A length-prefixed byte vector. */
export const vec = (bytes: Code): Code => [...uleb(bytes.length), ...bytes];
export const utf8Name = (s: string): Code => vec([...new TextEncoder().encode(s)]);
export const section = (id: number, items: Code[]): Code => [id, ...vec([...uleb(items.length), ...items.flat()])];

// Locals, constants and scalar arithmetic.
export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number): Code => [0x21, ...uleb(i)];
export const tee = (i: number): Code => [0x22, ...uleb(i)];
export const i32c = (n: number): Code => [0x41, ...sleb(n)];
export const f32c = (x: number): Code => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
export const f64c = (x: number): Code => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)];
export const i32add = [0x6a],
  i32sub = [0x6b],
  i32mul = [0x6c],
  i32and = [0x71],
  i32shl = [0x74],
  i32shrU = [0x76];
export const i32ltU = [0x49],
  i32geU = [0x4f],
  i32gtS = [0x4a],
  i32eqz = [0x45];
export const f32add = [0x92];
export const f64add = [0xa0],
  f64mul = [0xa2];
export const f64lt = [0x63],
  f64gt = [0x64],
  f64div = [0xa3];
export const f64promote = [0xbb],
  f32demote = [0xb6];
export const i32load = (offset = 0): Code => [0x28, 2, ...uleb(offset)];
export const f32load = (offset = 0): Code => [0x2a, 2, ...uleb(offset)];
export const f32store = (offset = 0): Code => [0x38, 2, ...uleb(offset)];
export const f64load = (offset = 0): Code => [0x2b, 3, ...uleb(offset)];
export const f64store = (offset = 0): Code => [0x39, 3, ...uleb(offset)];

// Control flow. Branch depths count enclosing blocks outwards from 0.
export const block = (...body: Code[]): Code => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: Code[]): Code => [0x03, 0x40, ...body.flat(), 0x0b];
export const ifThen = (...body: Code[]): Code => [0x04, 0x40, ...body.flat(), 0x0b];
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];
export const ret = [0x0f];
export const call = (fn: number): Code => [0x10, ...uleb(fn)];
/** Pops c, b, a and pushes c ? a : b. */
export const select = [0x1b];

/** Pushes base + 4 index: the byte address of 4-byte element `index` (a local) after the address `base` pushes. */
export const elementAddress = (base: Code, index: number): Code => [...base, ...get(index), ...i32c(2), ...i32shl, ...i32add];

/** `for (counter = from; counter < limit; counter += step) body` (unsigned compare). */
export function forLoop(counter: number, from: Code, limit: Code, step: number, ...body: Code[]): Code {
  return [...from, ...set(counter), ...block(loop(get(counter), limit, i32geU, brIf(1), ...body, get(counter), i32c(step), i32add, set(counter), br(0)))];
}

// 128-bit SIMD, f32x4 lanes.
export const simd = (op: number, ...rest: number[]): Code => [0xfd, ...uleb(op), ...rest];
/** v128 load/store at the address on the stack plus a constant byte offset. */
export const load = (offset = 0): Code => simd(0, 4, ...uleb(offset));
export const store = (offset = 0): Code => simd(11, 4, ...uleb(offset));
/** Loads one f32 and repeats it in all four lanes. */
export const loadSplat = (offset = 0): Code => simd(9, 2, ...uleb(offset));
export const zero = simd(12, ...new Array<number>(16).fill(0));
/** v128.load64_zero: two floats into the low half, the high half zero. */
export const loadHalf = (offset = 0): Code => simd(0x5d, 3, ...uleb(offset));
// f64x2 lanes (wasm-dots.ts): the low two f32 lanes promoted, and float64 arithmetic per lane.
export const promoteLow = simd(0x5f),
  f64x2add = simd(240),
  f64x2sub = simd(241),
  f64x2mul = simd(242);
export const f64lane = (l: number): Code => simd(33, l);
/** f64x2.replace_lane: pops a vector and an f64, pushes the vector with lane `l` replaced. */
export const f64replaceLane = (l: number): Code => simd(34, l);
/** f64x2.splat: one f64 in both lanes. */
export const f64splat = simd(20);
/** v128.load64_splat: one f64 from memory in both lanes. */
export const loadSplat64 = (offset = 0): Code => simd(10, 3, ...uleb(offset));
export const splat = simd(19);
export const lane = (l: number): Code => simd(31, l);
export const add = simd(228),
  sub = simd(229),
  mul = simd(230),
  neg = simd(225);
export const ne = simd(66),
  or = simd(80),
  anyTrue = simd(83);
/**
 * Relaxed SIMD (in WebAssembly 3.0; V8 11.4 and later, so Node 22 and 24, not Node 20): pops a, b,
 * c and pushes a * b + c (relaxedMadd) or -(a * b) + c (relaxedNmadd), fused into one rounding
 * where the CPU has FMA (x86-64 with FMA3: one vfmadd instead of a multiply and an add).
 */
export const relaxedMadd = simd(0x105),
  relaxedNmadd = simd(0x106);

/**
 * c + a * b for f32x4 operands (code that pushes one vector each, without side effects): one
 * relaxed_madd when `fused`, else a multiply and an add (c pushed first, the plain SIMD bytes).
 */
export const madd = (fused: boolean, a: Code, b: Code, c: Code): Code => (fused ? [...a, ...b, ...c, ...relaxedMadd] : [...c, ...a, ...b, ...mul, ...add]);

/** c - a * b, like `madd`. */
export const nmadd = (fused: boolean, a: Code, b: Code, c: Code): Code => (fused ? [...a, ...b, ...c, ...relaxedNmadd] : [...c, ...a, ...b, ...mul, ...sub]);

/**
 * c + a_0 b_0 + a_1 b_1 + ... for the (a_i, b_i) pairs. Plain: the products summed pairwise as a
 * tree, then added to c (`c + ((p0 + p1) + (p2 + p3))`, the code the kernels had before relaxed
 * SIMD). Fused: nested relaxed_madds, the last pair's first; when c is an accumulator carried
 * from one loop turn to the next (`carried`), the madds run on the last product and one add
 * joins c, so the carried chain waits on one add per turn, not on a madd per pair.
 */
export function maddSum(fused: boolean, pairs: [Code, Code][], c: Code, carried = false): Code {
  const operands = pairs.flatMap(([a, b]) => [...a, ...b]);
  const madds = (n: number) => Array.from({ length: n }, () => relaxedMadd).flat();
  if (fused && !carried) return [...operands, ...c, ...madds(pairs.length)];
  if (fused) return [...c, ...operands, ...mul, ...madds(pairs.length - 1), ...add];
  const product = ([a, b]: [Code, Code]): Code => [...a, ...b, ...mul];
  const tree = (from: number, to: number): Code =>
    to - from === 1 ? product(pairs[from]) : [...tree(from, from + ((to - from) >> 1)), ...tree(from + ((to - from) >> 1), to), ...add];
  return [...c, ...tree(0, pairs.length), ...add];
}

/** Picks f32 lanes from two vectors: 0..3 name the first, 4..7 the second. */
export const shuffle = (lanes: [number, number, number, number]): Code => simd(13, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));

/** A module exporting `f(a, b, c: v128): v128 = f32x4.relaxed_madd(a, b, c)`, for feature checks. */
export function relaxedSimdProbeBytes(): Uint8Array<ArrayBuffer> {
  const body = [...get(0), ...get(1), ...get(2), ...relaxedMadd];
  return Uint8Array.from([
    ...moduleHeader,
    ...section(1, [[0x60, ...vec([v128, v128, v128]), ...vec([v128])]]),
    ...section(3, [uleb(0)]),
    ...section(10, [vec([0x00, ...body, 0x0b])]),
  ]);
}

/**
 * A check, run once per thread on first call, that this runtime validates every module the
 * builders give (a builder that throws counts as not validating): how each kernel family decides
 * between its WebAssembly and its JavaScript path.
 */
export function validatesOnce(...builders: (() => Uint8Array<ArrayBuffer>)[]): () => boolean {
  let valid: boolean | undefined;
  return () => {
    if (valid === undefined) {
      try {
        valid = builders.every((build) => WebAssembly.validate(build()));
      } catch {
        valid = false;
      }
    }
    return valid;
  };
}

let relaxed: boolean | undefined;

/**
 * Whether the generated kernels use relaxed SIMD's fused multiply-add: when this runtime
 * validates a module using f32x4.relaxed_madd (Node 22 and later; not Node 20), unless
 * DEEPCUTS_WASM_RELAXED_SIMD=0 asks for the plain SIMD kernels. Checked once per thread.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxed === undefined) {
    const setting = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DEEPCUTS_WASM_RELAXED_SIMD;
    try {
      relaxed = setting !== "0" && WebAssembly.validate(relaxedSimdProbeBytes());
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

/** One function of a module: its signature, named locals and body. */
export class WasmFunction {
  private readonly types: ValueType[] = [];
  private readonly names = new Map<string, number>();
  private readonly paramCount: number;
  body: Code = [];

  constructor(
    readonly name: string,
    params: [string, ValueType][],
    readonly results: ValueType[] = [],
  ) {
    for (const [n, t] of params) this.local(n, t);
    this.paramCount = params.length;
  }

  /** The index of local `name`, declared on first use with type `type`. */
  local(name: string, type: ValueType = i32): number {
    let i = this.names.get(name);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(type);
      this.names.set(name, i);
    } else if (this.types[i] !== type) {
      throw new TypeError(`local ${name} declared twice with different types`);
    }
    return i;
  }

  /** The names of the locals in index order, parameters first (for the name section of a listing). */
  localNames(): string[] {
    const names: string[] = [];
    for (const [name, i] of this.names) names[i] = name;
    return names;
  }

  signature(): Code {
    const params = this.types.slice(0, this.paramCount);
    return [0x60, ...vec(params), ...vec(this.results)];
  }

  code(): Code {
    const locals = this.types.slice(this.paramCount).map((t) => [...uleb(1), t]);
    return vec([...uleb(locals.length), ...locals.flat(), ...this.body, 0x0b]);
  }
}

/**
 * The custom "name" section (WebAssembly core specification, appendix 7.4): function and local
 * names, which a disassembler prints instead of indices. Only listings carry it (wasm-listing.ts).
 */
function nameSection(functions: WasmFunction[]): Code {
  const nameMap = (names: string[]): Code => [...uleb(names.length), ...names.flatMap((n, i) => [...uleb(i), ...utf8Name(n)])];
  const functionNames = nameMap(functions.map((f) => f.name));
  const localNames = [...uleb(functions.length), ...functions.flatMap((f, i) => [...uleb(i), ...nameMap(f.localNames())])];
  return [0, ...vec([...utf8Name("name"), 1, ...vec(functionNames), 2, ...vec(localNames)])];
}

/**
 * A module importing `env.memory` (shared, of minPages to maxPages 64 KiB pages) and exporting
 * every function under its name; with `names`, also the name section (for listings only).
 */
export function moduleBytes(functions: WasmFunction[], minPages: number, maxPages = minPages, names = false): Uint8Array<ArrayBuffer> {
  const memoryImport = [...utf8Name("env"), ...utf8Name("memory"), 0x02, 0x03, ...uleb(minPages), ...uleb(maxPages)];
  return Uint8Array.from([
    ...moduleHeader,
    ...section(
      1,
      functions.map((f) => f.signature()),
    ),
    ...section(2, [memoryImport]),
    ...section(
      3,
      functions.map((_, i) => uleb(i)),
    ),
    ...section(
      7,
      functions.map((f, i) => [...utf8Name(f.name), 0x00, ...uleb(i)]),
    ),
    ...section(
      10,
      functions.map((f) => f.code()),
    ),
    ...(names ? nameSection(functions) : []),
  ]);
}
