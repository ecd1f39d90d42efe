/**
 * The inner loops of `invertSpdInPlace` (spd-inverse.ts) as a hand-assembled WebAssembly module
 * (wasm-asm.ts), with the same arithmetic: each of the inversion's sums is one float64
 * accumulator that adds its products in increasing k, as the JavaScript loops do; here the
 * SPD_BLOCK (8) sums of a block of rows sit in the lanes of four f64x2, so one pass over a
 * streamed row serves all eight with four vector multiplies and four vector adds per element, and
 * two streamed rows go at once, sharing each load of the block's vectors. Lanes never mix, and
 * every multiply, add, subtract and divide is the IEEE operation the JavaScript performs on the
 * same operands in the same order, so the inverse is equal bit for bit (ease.test.ts compares
 * both paths; spd-inverse.ts says which entries are a product by a reciprocal, which a quotient).
 * The block's rows are first gathered into a scratch area T, interleaved (T[k][c] = row c's
 * element k), so its lanes load as four vectors.
 *   cholRows(n, i0, t, d):  pass 1 for rows i0..i0+7, columns j < i0 (L's entries, Cholesky-Crout)
 *   invRows(n, j0, t, d):   pass 2 for rows i >= j0 + 8 of the V rows j0..j0+7 (T prefilled for k < j0 + 8)
 *   gramRows(n, c0, t, d):  pass 3 for rows b >= c0 + 8 of columns c0..c0+7 of the inverse
 * The matrix sits at byte address 0 of the memory (n x n float64, row-major), T at byte address
 * `t` (8n float64), L's diagonal at byte address `d` (n float64).
 */
import {
  block as wasmBlock,
  tee,
  br,
  brIf,
  i32geU,
  i32ltU,
  ifThen,
  loop,
  f64c,
  f64div,
  f64lane,
  f64load,
  f64replaceLane,
  f64splat,
  f64store,
  f64x2add,
  f64x2mul,
  f64x2sub,
  forLoop,
  get,
  i32,
  i32add,
  i32c,
  i32mul,
  i32shl,
  load,
  loadSplat64,
  moduleBytes,
  validatesOnce,
  set,
  store,
  v128,
  WasmFunction,
  zero,
  type Code,
} from "./wasm-asm.ts";

/**
 * Rows in a block: each streamed element serves SPD_BLOCK sums, in SPD_BLOCK / 2 f64x2. Eight, not four:
 * the passes stream the whole matrix once per block, so beyond the caches the memory traffic per
 * product halves, and two streamed rows' eight accumulators, the block's four vectors and a splat
 * still fit x86-64's sixteen vector registers.
 */
export const SPD_BLOCK = 8;
const VECTORS = SPD_BLOCK / 2;
/** log2 of a T row's bytes (SPD_BLOCK float64). */
const T_SHIFT = Math.log2(8 * SPD_BLOCK);

/** Pushes `base` + 8 `index` (locals or code): the byte address of float64 `index` after `base`. */
const at8 = (base: Code, index: Code): Code => [...base, ...index, ...i32c(3), ...i32shl, ...i32add];
/** Pushes the byte address of T's row k (local `t`, code `k`): its SPD_BLOCK values, one per row of the block. */
const tAt = (t: number, k: Code): Code => [...get(t), ...k, ...i32c(T_SHIFT), ...i32shl, ...i32add];
/** Pushes the byte address of row `base` + c of a block: local `block` + c x local `rowBytes`. */
const blockRow = (block: number, rowBytes: number, c: number): Code => [...get(block), ...get(rowBytes), ...i32c(c), ...i32mul, ...i32add];

/** The accumulators of one streamed row: its SPD_BLOCK sums as VECTORS f64x2 locals (lanes 2h and 2h + 1 of the block in vector h). */
type Sums = number[];

/** Sets every sum to zero. */
const clear = (...sums: Sums[]): Code => sums.flat().flatMap((v) => [...zero, ...set(v)]);

/** s += T[q] x a[p] lane by lane (T's row at byte address q, code; a[p] at byte address p, code). */
const accumulate = (s: Sums, q: Code, p: Code): Code =>
  s.flatMap((v, h) => [...get(v), ...q, ...load(16 * h), ...p, ...loadSplat64(), ...f64x2mul, ...f64x2add, ...set(v)]);

/**
 * The block's sums over one or two streamed rows at once: for p from `from` to `end` (byte
 * addresses in the first row, code) by 8, the second row's element at p + `gap` (local, bytes),
 * and q from `tFrom` (T's byte address, code) by a T row: each row's sums += T[q] x its element.
 * The second row shares each loaded T vector, so a turn loads VECTORS vectors for 2 SPD_BLOCK
 * products.
 */
function blockSums(f: WasmFunction, rows: Sums[], from: Code, end: Code, tFrom: Code, gap?: number): Code {
  const p = f.local("p"),
    last = f.local("last"),
    q = f.local("q"),
    x = f.local("x", v128);
  const tv = Array.from({ length: VECTORS }, (_, h) => f.local(`t${h}`, v128));
  const step = (s: Sums, element: Code): Code => [
    ...element,
    ...loadSplat64(),
    ...set(x),
    ...s.flatMap((v, h) => [...get(v), ...get(tv[h]), ...get(x), ...f64x2mul, ...f64x2add, ...set(v)]),
  ];
  return [
    ...tFrom,
    ...set(q),
    ...end,
    ...set(last),
    ...forLoop(
      p,
      from,
      get(last),
      8,
      tv.flatMap((v, h) => [...get(q), ...load(16 * h), ...set(v)]),
      step(rows[0], get(p)),
      rows.length > 1 ? step(rows[1], [...get(p), ...get(gap!), ...i32add]) : [],
      [...get(q), ...i32c(8 * SPD_BLOCK), ...i32add, ...set(q)],
    ),
  ];
}

/** Stores the sums (lanes) at float64 `column` (code) of the block's rows. */
function storeLanes(block: number, rowBytes: number, column: Code, s: Sums): Code {
  return Array.from({ length: SPD_BLOCK }, (_, c) => [
    ...at8(blockRow(block, rowBytes, c), column),
    ...get(s[c >> 1]),
    ...f64lane(c & 1),
    ...f64store(),
  ]).flat();
}

/** Stores the sums as T's row k (k code). */
const storeT = (t: number, k: Code, s: Sums): Code => s.flatMap((v, h) => [...tAt(t, k), ...get(v), ...store(16 * h)]);

/** Multiplies every vector of `s` by the f64x2 in local `by`. */
const scale = (s: Sums, by: number): Code => s.flatMap((v) => [...get(v), ...get(by), ...f64x2mul, ...set(v)]);

/** A kernel over the block of SPD_BLOCK rows starting at row `first` (a parameter): its locals and the code that sets them. */
function blockKernel(name: string, first: string) {
  const f = new WasmFunction(name, [
    ["n", i32],
    [first, i32],
    ["t", i32],
    ["d", i32],
  ]);
  const [n, start, t, d] = [0, 1, 2, 3];
  const rowBytes = f.local("rowBytes"),
    block = f.local("block"),
    gap = f.local("gap");
  const sums = (prefix: string): Sums => Array.from({ length: VECTORS }, (_, h) => f.local(`${prefix}${2 * h}${2 * h + 1}`, v128));
  // Row length in bytes; the block's first row's address; a second streamed row is one row further.
  const setup = [...get(n), ...i32c(3), ...i32shl, ...tee(rowBytes), ...set(gap), ...get(start), ...get(rowBytes), ...i32mul, ...set(block)];
  return { f, n, start, t, d, rowBytes, block, gap, a: sums("a"), b: sums("b"), setup };
}

/**
 * Passes 1 and 2: streamed rows r = `from`, `from` + 1, ... below `limit` (code), each giving the
 * block's entries in its column r (pass 1) or row r (pass 2), which later rows' sums use (T[r]).
 * Two rows a turn: both rows' sums over k from `k0` (code) to r, then r's entries (`finish`), then
 * r + 1's last term (k = r, from T[r]), then its entries; the last row alone when one is left.
 */
function pairedRows(kernel: ReturnType<typeof blockKernel>, from: Code, limit: Code, k0: Code, finish: (s: Sums, r: Code) => Code): Code {
  const { f, t, rowBytes, gap, a, b } = kernel;
  const r = f.local("r"),
    row = f.local("row");
  const next = [...get(r), ...i32c(1), ...i32add];
  const sums = (rows: Sums[]) => blockSums(f, rows, at8(get(row), k0), at8(get(row), get(r)), tAt(t, k0), gap);
  return [
    ...from,
    ...set(r),
    ...wasmBlock(
      loop(
        [...next, ...limit, ...i32geU, ...brIf(1)],
        [...get(r), ...get(rowBytes), ...i32mul, ...set(row)],
        clear(a, b),
        sums([a, b]),
        finish(a, get(r)),
        accumulate(b, tAt(t, get(r)), at8([...get(row), ...get(rowBytes), ...i32add], get(r))),
        finish(b, next),
        [...get(r), ...i32c(2), ...i32add, ...set(r), ...br(0)],
      ),
    ),
    ...get(r),
    ...limit,
    ...i32ltU,
    ...ifThen([...get(r), ...get(rowBytes), ...i32mul, ...set(row)], clear(a), sums([a]), finish(a, get(r))),
  ];
}

/** The module's bytes for a memory of `pages` 64 KiB pages; `names` adds the name section (listings only). */
export function spdModuleBytes(pages: number, names = false): Uint8Array<ArrayBuffer> {
  // Pass 1: for j < i0, L[i0 + c][j] = (A[i0 + c][j] - L[i0 + c][:j] . L[j][:j]) / L[j][j].
  const chol = blockKernel("cholRows", "i0");
  {
    const { f, start: i0, t, d, rowBytes, block, setup } = chol;
    const inv = f.local("inv", v128);
    // Column `col` (code) of the block: s = (A[row][col] - s) x (1 / L[col][col]), into T[col] and A.
    const finish = (s: Sums, col: Code): Code => [
      ...f64c(1),
      ...at8(get(d), col),
      ...f64load(),
      ...f64div,
      ...f64splat,
      ...set(inv),
      ...s.flatMap((v, h) => [
        ...at8(blockRow(block, rowBytes, 2 * h), col),
        ...f64load(),
        ...f64splat,
        ...at8(blockRow(block, rowBytes, 2 * h + 1), col),
        ...f64load(),
        ...f64replaceLane(1),
        ...get(v),
        ...f64x2sub,
        ...set(v),
      ]),
      ...scale(s, inv),
      ...storeT(t, col, s),
      ...storeLanes(block, rowBytes, col, s),
    ];
    f.body = [...setup, ...pairedRows(chol, i32c(0), get(i0), i32c(0), finish)];
  }
  // Pass 2: for i >= j0 + SPD_BLOCK, V[j0 + c][i] = -(L[i][j0:i] . V[j0 + c][j0:i]) / L[i][i].
  const inv = blockKernel("invRows", "j0");
  {
    const { f, n, start: j0, t, d, rowBytes, block, setup } = inv;
    const by = f.local("by", v128);
    // Row `row` (code) of V's block columns: s x (-1 / L[row][row]), into T[row] and A.
    const finish = (s: Sums, row: Code): Code => [
      ...f64c(-1),
      ...at8(get(d), row),
      ...f64load(),
      ...f64div,
      ...f64splat,
      ...set(by),
      ...scale(s, by),
      ...storeT(t, row, s),
      ...storeLanes(block, rowBytes, row, s),
    ];
    f.body = [...setup, ...pairedRows(inv, [...get(j0), ...i32c(SPD_BLOCK), ...i32add], get(n), get(j0), finish)];
  }
  // Pass 3: for b >= c0 + SPD_BLOCK, inverse[b][c0 + c] = V[b][b:] . V[c0 + c][b:]; two b a turn.
  const gram = blockKernel("gramRows", "c0");
  {
    const { f, n, start: c0, t, rowBytes, block, gap, a, b, setup } = gram;
    const k = f.local("k"),
      r = f.local("r"),
      row = f.local("row");
    const start = [...get(c0), ...i32c(SPD_BLOCK), ...i32add];
    const element = (c: number): Code => [...at8(blockRow(block, rowBytes, c), get(k)), ...f64load()];
    const next = [...get(r), ...i32c(1), ...i32add];
    const rowEnd = [...get(row), ...get(rowBytes), ...i32add];
    const storeRow = (s: Sums, at: Code): Code => s.flatMap((v, h) => [...at8(at, get(c0)), ...get(v), ...store(16 * h)]);
    f.body = [
      ...setup,
      // T[k][c] = V[c0 + c][k] for k >= c0 + SPD_BLOCK.
      ...forLoop(
        k,
        start,
        get(n),
        1,
        ...Array.from({ length: VECTORS }, (_, h) => [
          ...tAt(t, get(k)),
          ...element(2 * h),
          ...f64splat,
          ...element(2 * h + 1),
          ...f64replaceLane(1),
          ...store(16 * h),
        ]),
      ),
      // Pairs (r, r + 1): r's first term (k = r) alone, then both over k > r.
      ...start,
      ...set(r),
      ...wasmBlock(
        loop(
          [...next, ...get(n), ...i32geU, ...brIf(1)],
          [...get(r), ...get(rowBytes), ...i32mul, ...set(row)],
          clear(a, b),
          accumulate(a, tAt(t, get(r)), at8(get(row), get(r))),
          blockSums(f, [a, b], at8(get(row), next), rowEnd, tAt(t, next), gap),
          storeRow(a, get(row)),
          storeRow(b, rowEnd),
          [...get(r), ...i32c(2), ...i32add, ...set(r), ...br(0)],
        ),
      ),
      ...get(r),
      ...get(n),
      ...i32ltU,
      ...ifThen(
        [...get(r), ...get(rowBytes), ...i32mul, ...set(row)],
        clear(a),
        blockSums(f, [a], at8(get(row), get(r)), rowEnd, tAt(t, get(r))),
        storeRow(a, get(row)),
      ),
    ];
  }
  return moduleBytes([chol.f, inv.f, gram.f], pages, pages, names);
}

interface SpdKernels {
  cholRows(n: number, i0: number, t: number, d: number): void;
  invRows(n: number, j0: number, t: number, d: number): void;
  gramRows(n: number, c0: number, t: number, d: number): void;
}

/** What `invertSpdInPlace` needs to run the kernels on a matrix made by `spdMatrix`. */
export interface SpdPlacement {
  kernels: SpdKernels;
  /** Byte addresses of T and of L's diagonal. */
  t: number;
  d: number;
  /** Views of T (SPD_BLOCK n float64) and of L's diagonal (n float64). */
  scratch: Float64Array;
  diagonal: Float64Array;
}

const placements = new WeakMap<ArrayBufferLike, SpdPlacement>();

/** Whether this runtime validates the module (WebAssembly SIMD with shared memory); checked once. */
export const wasmSpdSupported = validatesOnce(() => spdModuleBytes(1));

/** A WebAssembly memory holds at most 65,536 pages of 64 KiB (4 GiB) with 32-bit addresses. */
const MAX_PAGES = 65536;

/**
 * A zeroed n x n Float64Array for `invertSpdInPlace`: inside a WebAssembly memory with the
 * kernels' scratch areas after it when the runtime has WebAssembly SIMD and the matrix fits
 * (n up to about 23,000), so the inversion runs the kernels on it in place; else an ordinary
 * array, which the inversion's JavaScript loops handle. Both give the same inverse.
 */
export function spdMatrix(n: number): Float64Array {
  const t = Math.ceil((n * n * 8) / 16) * 16;
  const d = t + 8 * SPD_BLOCK * n;
  const pages = Math.ceil((d + 8 * n) / 65536);
  if (pages > MAX_PAGES || !wasmSpdSupported()) return new Float64Array(n * n);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return new Float64Array(n * n);
  }
  const kernels = new WebAssembly.Instance(new WebAssembly.Module(spdModuleBytes(pages)), { env: { memory } }).exports as unknown as SpdKernels;
  const buffer = memory.buffer;
  placements.set(buffer, { kernels, t, d, scratch: new Float64Array(buffer, t, SPD_BLOCK * n), diagonal: new Float64Array(buffer, d, n) });
  return new Float64Array(buffer, 0, n * n);
}

/** The kernels for `a` when `spdMatrix` made it (and it is that whole matrix), else null. */
export function spdPlacement(a: Float64Array, n: number): SpdPlacement | null {
  const placed = placements.get(a.buffer);
  return placed && a.byteOffset === 0 && a.length === n * n && placed.diagonal.length === n ? placed : null;
}
