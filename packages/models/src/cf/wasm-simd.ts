/**
 * X Y^T scores as a tiny hand-assembled WebAssembly module with 128-bit SIMD (f32x4), over a
 * scratch memory that inputs are copied into:
 *   scores(x, y, bias, out, n, m, k):   out[u][i] = x_u . y_i + bias[i] for n queries, m items
 * Pointers are byte offsets; k must be a multiple of 4. The Gram matrix Y^T Y goes through the
 * k-specific module of wasm-cg.ts over the same scratch memory. Where the runtime has relaxed
 * SIMD (Node 22 and later), the multiply-adds are f32x4.relaxed_madd, as in wasm-cg.ts. How these
 * kernels are generated, tested and justified by `npm run bench:cf`: see the header of wasm-asm.ts.
 */
import {
  add,
  elementAddress,
  f32add,
  f32load,
  f32store,
  forLoop,
  get,
  i32,
  i32add,
  i32and,
  i32c,
  i32mul,
  i32shl,
  lane,
  load,
  madd,
  moduleBytes,
  validatesOnce,
  relaxedSimdSupported,
  set,
  v128,
  WasmFunction,
  zero,
  type Code,
} from "./wasm-asm.ts";
import { cgModuleBytes, instantiateCg, type CgKernels } from "./wasm-cg.ts";

/**
 * Leaves a . b (k floats at byte addresses in locals `pa`, `pb`) on the stack: four independent
 * accumulators over 16-float blocks so the adds do not wait on each other, then 4-float blocks.
 */
function dotProduct(f: WasmFunction, fused: boolean, pa: number, pb: number, k: number): Code {
  const b = f.local("b"),
    ta = f.local("ta"),
    tb = f.local("tb");
  const acc = [0, 1, 2, 3].map((i) => f.local(`acc${i}`, v128));
  const blockOf = (a: number, offset: number) => [...madd(fused, [...get(ta), ...load(offset)], [...get(tb), ...load(offset)], get(a)), ...set(a)];
  const tail = [...madd(fused, [...elementAddress(get(pa), b), ...load()], [...elementAddress(get(pb), b), ...load()], get(acc[0])), ...set(acc[0])];
  return [
    ...acc.flatMap((a) => [...zero, ...set(a)]),
    ...forLoop(
      b,
      i32c(0),
      [...get(k), ...i32c(-16), ...i32and],
      16,
      elementAddress(get(pa), b),
      set(ta),
      elementAddress(get(pb), b),
      set(tb),
      blockOf(acc[0], 0),
      blockOf(acc[1], 16),
      blockOf(acc[2], 32),
      blockOf(acc[3], 48),
    ),
    ...forLoop(b, get(b), get(k), 4, tail),
    ...get(acc[0]),
    ...get(acc[1]),
    ...add,
    ...get(acc[2]),
    ...add,
    ...get(acc[3]),
    ...add,
    ...set(acc[0]),
    ...get(acc[0]),
    ...lane(0),
    ...get(acc[0]),
    ...lane(1),
    ...f32add,
    ...get(acc[0]),
    ...lane(2),
    ...f32add,
    ...get(acc[0]),
    ...lane(3),
    ...f32add,
  ];
}

function scoresFunction(fused: boolean): WasmFunction {
  const f = new WasmFunction("scores", [
    ["x", i32],
    ["y", i32],
    ["bias", i32],
    ["out", i32],
    ["n", i32],
    ["m", i32],
    ["k", i32],
  ]);
  const [x, y, bias, out, n, m, k] = [0, 1, 2, 3, 4, 5, 6];
  const u = f.local("u"),
    i = f.local("i"),
    xu = f.local("xu"),
    yi = f.local("yi"),
    o = f.local("o");
  const rowAt = (base: number, index: number, width: number) => [...get(base), ...get(index), ...get(width), ...i32mul, ...i32c(2), ...i32shl, ...i32add];
  const perItem = [
    ...rowAt(y, i, k),
    ...set(yi),
    ...elementAddress(get(o), i),
    ...dotProduct(f, fused, xu, yi, k),
    ...elementAddress(get(bias), i),
    ...f32load(),
    ...f32add,
    ...f32store(),
  ];
  f.body = forLoop(u, i32c(0), get(n), 1, rowAt(x, u, k), set(xu), rowAt(out, u, m), set(o), forLoop(i, i32c(0), get(m), 1, perItem));
  return f;
}

/**
 * The module's bytes; it imports `env.memory` (shared, `pages` 64 KiB pages, fixed size). With
 * `relaxed` (default: when the runtime has it) its multiply-adds are relaxed_madd; `names` adds
 * the name section for the listing (wasm-kernels.wat).
 */
export function simdModuleBytes(pages: number, relaxed = relaxedSimdSupported(), names = false): Uint8Array<ArrayBuffer> {
  return moduleBytes([scoresFunction(relaxed)], pages, pages, names);
}

export interface SimdKernels {
  scores(x: number, y: number, bias: number, out: number, n: number, m: number, k: number): void;
}

let scratch: { pages: number; memory: WebAssembly.Memory; kernels: SimdKernels; cg: Map<number, CgKernels> } | undefined;

/** A scratch memory of at least `floats` floats, kept between calls and replaced when too small. */
function scratchFor(floats: number): { f: Float32Array; kernels: SimdKernels; cg: (k: number) => CgKernels } | null {
  const pages = Math.ceil((floats * 4) / 65_536) + 1;
  if (pages > 65_536) return null;
  if (!scratch || scratch.pages < pages) {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    scratch = { pages, memory, kernels: instantiateSimd(memory, pages), cg: new Map() };
  }
  const { memory, cg } = scratch;
  const cgFor = (k: number) => {
    let kernels = cg.get(k);
    if (!kernels) cg.set(k, (kernels = instantiateCg(memory, k)));
    return kernels;
  };
  return { f: new Float32Array(memory.buffer), kernels: scratch.kernels, cg: cgFor };
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
  const { f, cg } = space;
  f.set(y.subarray(0, m * k), 0);
  cg(k).gram(0, m, outAt * 4, 0);
  return f.slice(outAt, outAt + k * k);
}

/** Instantiates the scores kernel over a shared memory (synchronously: the module is tiny). */
export function instantiateSimd(memory: WebAssembly.Memory, pages: number, relaxed = relaxedSimdSupported()): SimdKernels {
  const module = new WebAssembly.Module(simdModuleBytes(pages, relaxed));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
}

/**
 * Whether this runtime runs WebAssembly SIMD with shared memory (checked once, on the plain SIMD
 * modules; relaxed SIMD is checked apart, by `relaxedSimdSupported`).
 */
export const simdSupported = validatesOnce(
  () => simdModuleBytes(1, false),
  () => cgModuleBytes(4, false),
);
