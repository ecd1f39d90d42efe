/**
 * Dot products of float32 rows with the exact arithmetic of core/vector.ts's `dot`, as a tiny
 * hand-assembled WebAssembly module (wasm-asm.ts) over a memory that holds the catalogue's
 * matrices. `dot` multiplies each pair of floats in float64 (exact: two 24-bit mantissas fit in
 * 53 bits) and sums them into four float64 accumulators, element i into accumulator i mod 4,
 * then adds ((s0 + s1) + s2) + s3. Here two f64x2 accumulators hold (s0, s1) and (s2, s3): each
 * 4-float block is loaded as two halves, promoted to f64x2, multiplied and added lane by lane,
 * the same operations in the same order, so the results are equal bit for bit (the tail of a
 * length that is not a multiple of 4 goes into s0 one float at a time, as in `dot`). The weekly
 * run's re-scoring of each listener's head, its maximal marginal relevance and its explanations
 * make hundreds of such products a listener (and the text model's second-order query one per
 * entity, of profiles as long as the entity count); `npm run bench:cf` times this against `dot` on
 * random rows of a 50,000-track matrix (docs/architecture.md, "Scoring").
 *   rowDots(m, k, rows, n, q, out):  out[r] = row rows[r] of the k-column matrix at m . q, r < n
 *   pairDot(pa, pb, k):              the k floats at pa . the k floats at pb
 * Addresses are byte offsets; `out` holds float64.
 */
import type { DenseMatrix } from "../core/matrix.ts";
import { dot } from "../core/vector.ts";
import {
  f32load,
  f64,
  f64add,
  f64lane,
  f64mul,
  f64promote,
  f64store,
  f64x2add,
  f64x2mul,
  forLoop,
  get,
  i32,
  i32add,
  i32and,
  i32c,
  i32load,
  i32mul,
  i32shl,
  loadHalf,
  moduleBytes,
  validatesOnce,
  promoteLow,
  set,
  v128,
  WasmFunction,
  zero,
  type Code,
} from "./wasm-asm.ts";

/** Pushes base + 4 index (locals): the byte address of float `index` of the row at `base`. */
const at = (base: number, index: number): Code => [...get(base), ...get(index), ...i32c(2), ...i32shl, ...i32add];

/** Leaves the dot product of the k floats at byte addresses `pa` and `pb` (locals) on the stack, as `dot` computes it. */
function exactDot(f: WasmFunction, pa: number, pb: number, k: number): Code {
  const b = f.local("b"),
    k4 = f.local("k4"),
    s01 = f.local("s01", v128),
    s23 = f.local("s23", v128),
    s0 = f.local("s0", f64);
  const half = (acc: number, offset: number) => [
    ...get(acc),
    ...at(pa, b),
    ...loadHalf(offset),
    ...promoteLow,
    ...at(pb, b),
    ...loadHalf(offset),
    ...promoteLow,
    ...f64x2mul,
    ...f64x2add,
    ...set(acc),
  ];
  return [
    ...get(k),
    ...i32c(-4),
    ...i32and,
    ...set(k4),
    ...zero,
    ...set(s01),
    ...zero,
    ...set(s23),
    ...forLoop(b, i32c(0), get(k4), 4, half(s01, 0), half(s23, 8)),
    ...get(s01),
    ...f64lane(0),
    ...set(s0),
    ...forLoop(b, get(k4), get(k), 1, [
      ...get(s0),
      ...at(pa, b),
      ...f32load(),
      ...f64promote,
      ...at(pb, b),
      ...f32load(),
      ...f64promote,
      ...f64mul,
      ...f64add,
      ...set(s0),
    ]),
    ...get(s0),
    ...get(s01),
    ...f64lane(1),
    ...f64add,
    ...get(s23),
    ...f64lane(0),
    ...f64add,
    ...get(s23),
    ...f64lane(1),
    ...f64add,
  ];
}

/** The module's bytes for a memory of `pages` 64 KiB pages; `names` adds the name section (listings only). */
export function dotsModuleBytes(pages: number, names = false): Uint8Array<ArrayBuffer> {
  const rowDots = new WasmFunction("rowDots", [
    ["m", i32],
    ["k", i32],
    ["rows", i32],
    ["n", i32],
    ["q", i32],
    ["out", i32],
  ]);
  {
    const [m, k, rows, n, q, out] = [0, 1, 2, 3, 4, 5];
    const r = rowDots.local("r"),
      pa = rowDots.local("pa");
    rowDots.body = forLoop(
      r,
      i32c(0),
      get(n),
      1,
      // pa = m + 4 k rows[r]
      [...at(rows, r), ...i32load(), ...get(k), ...i32mul, ...i32c(2), ...i32shl, ...get(m), ...i32add, ...set(pa)],
      // out[r] = row . q
      [...get(out), ...get(r), ...i32c(3), ...i32shl, ...i32add, ...exactDot(rowDots, pa, q, k), ...f64store()],
    );
  }
  const pairDot = new WasmFunction(
    "pairDot",
    [
      ["pa", i32],
      ["pb", i32],
      ["k", i32],
    ],
    [f64],
  );
  pairDot.body = exactDot(pairDot, 0, 1, 2);
  return moduleBytes([rowDots, pairDot], pages, pages, names);
}

/** A row-major matrix of `cols` columns (the number of rows is not needed to read one). */
type Rows = Pick<DenseMatrix, "cols" | "data">;

interface DotsKernels {
  rowDots(m: number, k: number, rows: number, n: number, q: number, out: number): void;
  pairDot(a: number, b: number, k: number): number;
}

/** Whether this runtime validates the module (WebAssembly SIMD with shared memory); checked once. */
export const wasmDotsSupported = validatesOnce(() => dotsModuleBytes(1));

/** Rows handled per kernel call: the scratch area holds this many row numbers and results. */
const CHUNK = 4096;
/** Matrices larger than this in all are left to the JavaScript loop (the memory is a copy of them). */
const MAX_WASM_DOTS_BYTES = 2 ** 31;

/** Where a RowDots keeps its copies: the memory's views, the kernels, the scratch areas' byte addresses. */
interface Placement {
  kernels: DotsKernels;
  f32: Float32Array;
  i32: Int32Array;
  f64: Float64Array;
  /** A query vector, row numbers, results. */
  query: number;
  rows: number;
  out: number;
}

/**
 * Some matrices copied into a WebAssembly memory, and the exact dot products of their rows
 * (with each other, or with a query vector) through the kernels above. Every result equals what
 * `dot` gives for the same operands, bit for bit (wasm-dots.test.ts), and a matrix that was not
 * copied in goes through `dot` itself, so callers have one code path and make the same
 * playlists either way.
 */
export class RowDots {
  private constructor(
    /** Byte address of each copied matrix's first row, by its data array. */
    private readonly placed: Map<Float32Array, number>,
    private readonly at: Placement | null,
  ) {}

  /** Every product by `dot` in JavaScript (DEEPCUTS_WASM_DOTS=0, or no WebAssembly SIMD). */
  static javascript(): RowDots {
    return new RowDots(new Map(), null);
  }

  /**
   * Copies the matrices (each once, however often listed) into a new memory. Where the runtime
   * lacks WebAssembly SIMD, or the copies would pass `MAX_WASM_DOTS_BYTES`, it copies none: every
   * product then goes through `dot`.
   */
  static create(matrices: readonly DenseMatrix[]): RowDots {
    if (!wasmDotsSupported()) return RowDots.javascript();
    const distinct = [...new Map(matrices.map((m) => [m.data, m])).values()];
    const align = (n: number) => Math.ceil(n / 16) * 16;
    let bytes = 0;
    const placed = new Map<Float32Array, number>();
    let widest = 4;
    for (const m of distinct) {
      placed.set(m.data, bytes);
      bytes = align(bytes + m.rows * m.cols * 4);
      widest = Math.max(widest, m.cols);
    }
    const query = bytes;
    const rows = align(query + widest * 4);
    const out = align(rows + CHUNK * 4);
    const total = out + CHUNK * 8;
    if (total > MAX_WASM_DOTS_BYTES) return RowDots.javascript();
    const pages = Math.ceil(total / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const kernels = new WebAssembly.Instance(new WebAssembly.Module(dotsModuleBytes(pages)), { env: { memory } }).exports as unknown as DotsKernels;
    const f32 = new Float32Array(memory.buffer);
    for (const m of distinct) f32.set(m.data.subarray(0, m.rows * m.cols), placed.get(m.data)! / 4);
    return new RowDots(placed, { kernels, f32, i32: new Int32Array(memory.buffer), f64: new Float64Array(memory.buffer), query, rows, out });
  }

  /** Whether `m` was copied in (the others go through `dot`). */
  holds(m: Rows): boolean {
    return this.placed.has(m.data);
  }

  /** out[r] = dot(row rows[r] of m, query) for r < n. */
  dots(m: Rows, rows: ArrayLike<number>, n: number, query: Float32Array, out: Float64Array): void {
    const base = this.placed.get(m.data);
    const k = m.cols;
    if (base === undefined) {
      for (let r = 0; r < n; r++) out[r] = dot(m.data, rows[r] * k, query, 0, k);
      return;
    }
    this.at!.f32.set(query.subarray(0, k), this.at!.query / 4);
    this.run(m, base, rows, n, this.at!.query, out);
  }

  /** out[r] = dot(row rows[r] of m, row i of m) for r < n. */
  dotsWithRow(m: Rows, rows: ArrayLike<number>, n: number, i: number, out: Float64Array): void {
    const base = this.placed.get(m.data);
    if (base === undefined) return this.dots(m, rows, n, m.data.subarray(i * m.cols, (i + 1) * m.cols), out);
    if (!(i >= 0 && i < m.data.length / m.cols && Number.isInteger(i))) throw new RangeError(`row ${i} is not a row of the matrix`);
    this.run(m, base, rows, n, base + 4 * i * m.cols, out);
  }

  /**
   * Row numbers in, results out, CHUNK rows per kernel call; `q` is the query's byte address. A
   * row number outside the matrix is an error here (the kernel would read another matrix's floats).
   */
  private run(m: Rows, base: number, rows: ArrayLike<number>, n: number, q: number, out: Float64Array): void {
    const { kernels, i32, f64, rows: rowsAt, out: outAt } = this.at!;
    const k = m.cols,
      height = m.data.length / k;
    for (let from = 0; from < n; from += CHUNK) {
      const count = Math.min(CHUNK, n - from);
      const i = rowsAt / 4;
      for (let r = 0; r < count; r++) {
        const row = rows[from + r];
        if (!(row >= 0 && row < height && Number.isInteger(row))) throw new RangeError(`row ${row} is not a row of a ${height} x ${k} matrix`);
        i32[i + r] = row;
      }
      kernels.rowDots(base, k, rowsAt, count, q, outAt);
      out.set(f64.subarray(outAt / 8, outAt / 8 + count), from);
    }
  }

  /** dot(row i of m, row j of m). */
  pair(m: Rows, i: number, j: number): number {
    const base = this.placed.get(m.data);
    const k = m.cols;
    if (base === undefined) return dot(m.data, i * k, m.data, j * k, k);
    const height = m.data.length / k;
    if (!(i >= 0 && i < height && j >= 0 && j < height)) throw new RangeError(`rows ${i} and ${j} are not both rows of a ${height} x ${k} matrix`);
    return this.at!.kernels.pairDot(base + 4 * i * k, base + 4 * j * k, k);
  }
}
