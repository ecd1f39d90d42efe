/**
 * The conjugate-gradient row solves of implicit ALS as one WebAssembly SIMD module, generated for
 * one factor count k (a multiple of 4): loops over the k factors become straight f32x4 code or
 * short loops with constant offsets, sized so that V8's TurboFan keeps their values in
 * registers. It works on one shared memory (see simd-rows.ts), so worker threads run it on the
 * same factors. Exports:
 *   gemv(g, v, out):                 out = G v for a symmetric k x k G
 *   sparseStep(y, idx, conf, q0, q1, v, out):
 *                                    out += sum over plays q in [q0, q1) of (c_q - 1) (y_q . v) y_q
 *   sparseResidual(same):            out += sum over the plays of (c_q - (c_q - 1) (y_q . v)) y_q
 *   solve(indptr, idx, conf, y, x, g, work, start, end, steps):
 *                                    warm-started CG for rows [start, end) of x, in place
 *   gram(y, m, out, reg):            out = Y^T Y + reg I for an m x k Y
 *   firstNonFinite(ptr, n):          index of the first NaN or infinity among n floats, or -1
 * where y_q is row idx[q] of y, c_q = conf[q], and pointers are byte offsets into the memory.
 * All sums are float32; scalars of the CG recurrence (alpha, beta) are divided in float64.
 * Where the runtime has relaxed SIMD (Node 22 and later, see `relaxedSimdSupported`), every
 * multiply-then-add is one f32x4.relaxed_madd (fused on CPUs with FMA); on Node 20 the module is
 * the plain SIMD one. How these kernels are generated, tested and justified by `npm run bench:cf`:
 * see the header of wasm-asm.ts.
 */
import {
  add,
  anyTrue,
  block,
  br,
  brIf,
  call,
  elementAddress,
  f32,
  f32add,
  f32c,
  f32demote,
  f32load,
  f32store,
  f64,
  f64c,
  f64div,
  f64gt,
  f64lt,
  f64promote,
  forLoop,
  get,
  i32,
  i32add,
  i32c,
  i32eqz,
  i32gtS,
  i32load,
  i32ltU,
  i32mul,
  i32shl,
  i32shrU,
  i32sub,
  ifThen,
  lane,
  load,
  loadSplat,
  loop,
  madd,
  maddSum,
  moduleBytes,
  mul,
  ne,
  neg,
  nmadd,
  relaxedSimdSupported,
  ret,
  select,
  set,
  shuffle,
  splat,
  store,
  sub,
  tee,
  v128,
  WasmFunction,
  zero,
  type Code,
} from "./wasm-asm.ts";

const GEMV = 0,
  SPARSE_STEP = 1,
  SPARSE_RESIDUAL = 2;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Leaves a vector holding the sum of the lanes of local `a` in every lane (a is overwritten). */
function foldLanes(a: number): Code {
  return [...get(a), ...get(a), ...get(a), ...shuffle([2, 3, 0, 1]), ...add, ...set(a), ...get(a), ...get(a), ...get(a), ...shuffle([1, 0, 3, 2]), ...add];
}

/**
 * Leaves the sum of the lanes of the given accumulators on the stack (as f32), by adding them
 * into the first and folding its halves: every lane of the fold holds the same total.
 */
function horizontalSum(accs: number[]): Code {
  const a = accs[0];
  return [
    ...accs.slice(1).flatMap((b) => [...get(a), ...get(b), ...add, ...set(a)]),
    ...get(a),
    ...get(a),
    ...get(a),
    ...shuffle([2, 3, 0, 1]),
    ...add,
    ...set(a),
    ...get(a),
    ...get(a),
    ...get(a),
    ...shuffle([1, 0, 3, 2]),
    ...add,
    ...lane(0),
  ];
}

/**
 * `acc[j % 4] += a(j) b(j)` for the k/4 vectors j, after `before(j)` (the first use of an
 * accumulator sets it), leaving the lane sum as f32: four chains so the adds do not wait on each
 * other.
 */
function sumOverVectors(f: WasmFunction, fused: boolean, vectors: number, before: (j: number) => Code, a: (j: number) => Code, b: (j: number) => Code): Code {
  const accs = range(Math.min(4, vectors)).map((i) => f.local(`sum${i}`, v128));
  const body = range(vectors).flatMap((j) => {
    const acc = accs[j % 4];
    return [...before(j), ...(j < 4 ? [...a(j), ...b(j), ...mul] : madd(fused, a(j), b(j), get(acc))), ...set(acc)];
  });
  return [...body, ...horizontalSum(accs)];
}

/**
 * out = G v, G symmetric: out = sum_b v_b G_b over the rows G_b of G. A chunk of 4 output
 * vectors accumulates in registers while two rows of G per loop turn stream past. (TurboFan
 * issues a turn's loads before its arithmetic, so a turn loads no more than the registers hold:
 * 8 vectors of G, 2 of v and 4 accumulators; fully unrolled loops would spill.)
 */
function gemvFunction(k: number, fused: boolean): WasmFunction {
  const f = new WasmFunction("gemv", [
    ["g", i32],
    ["v", i32],
    ["out", i32],
  ]);
  const [g, v, out] = [0, 1, 2];
  const row = f.local("row"),
    vb = f.local("vb"),
    vEnd = f.local("vEnd");
  const vectors = k / 4,
    rowBytes = 4 * k,
    width = 4,
    rowsPerTurn = 2;
  const s = range(rowsPerTurn).map((i) => f.local(`s${i}`, v128));
  const body: Code = [...get(v), ...i32c(rowBytes), ...i32add, ...set(vEnd)];
  for (let c0 = 0; c0 < vectors; c0 += width) {
    const acc = range(Math.min(width, vectors - c0)).map((j) => f.local(`acc${j}`, v128));
    const term = (i: number, j: number): [Code, Code] => [[...get(row), ...load(i * rowBytes + 16 * (c0 + j))], get(s[i])];
    const turn = [
      ...s.flatMap((si, i) => [...get(vb), ...loadSplat(4 * i), ...set(si)]),
      ...acc.flatMap((a, j) => [
        ...maddSum(
          fused,
          range(rowsPerTurn).map((i) => term(i, j)),
          get(a),
          true,
        ),
        ...set(a),
      ]),
    ];
    body.push(
      ...acc.flatMap((a) => [...zero, ...set(a)]),
      ...get(g),
      ...set(row),
      ...get(v),
      ...set(vb),
      ...loop(turn, get(row), i32c(rowsPerTurn * rowBytes), i32add, set(row), get(vb), i32c(4 * rowsPerTurn), i32add, tee(vb), get(vEnd), i32ltU, brIf(0)),
      ...acc.flatMap((a, j) => [...get(out), ...get(a), ...store(16 * (c0 + j))]),
    );
  }
  f.body = body;
  return f;
}

/**
 * The dot products of vector `v` with the rows at the addresses in locals `rows`, over k floats:
 * one accumulator per row, two vectors per loop turn at constant offsets from pointers that
 * move along (and are rewound at the end). Leaves four-lane partial sums in `acc`.
 */
function dotLoop(f: WasmFunction, fused: boolean, k: number, v: number, rows: number[], acc: number[]): Code {
  const per = 2;
  const vp = f.local("vp"),
    vEnd = f.local("vEnd");
  const vj = range(per).map((i) => f.local(`vj${i}`, v128));
  const vectors = k / 4,
    whole = vectors - (vectors % per);
  // One turn: `count` vectors of v and of each row, at constant offsets from the moving pointers.
  const turn = (count: number) => [
    ...vj.slice(0, count).flatMap((x, i) => [...get(vp), ...load(16 * i), ...set(x)]),
    ...rows.flatMap((r, l) => [
      ...maddSum(
        fused,
        range(count).map((i): [Code, Code] => [[...get(r), ...load(16 * i)], get(vj[i])]),
        get(acc[l]),
        true,
      ),
      ...set(acc[l]),
    ]),
  ];
  const advance = (bytes: number) => [...rows, vp].flatMap((r) => [...get(r), ...i32c(bytes), ...i32add, ...set(r)]);
  return [
    ...acc.flatMap((a) => [...zero, ...set(a)]),
    ...get(v),
    ...set(vp),
    ...get(v),
    ...i32c(16 * whole),
    ...i32add,
    ...set(vEnd),
    ...(whole ? loop(turn(per), advance(16 * per), get(vp), get(vEnd), i32ltU, brIf(0)) : []),
    ...(vectors > whole ? turn(vectors - whole) : []),
    // Rewind the row pointers.
    ...rows.flatMap((r) => [...get(r), ...i32c(16 * whole), ...i32sub, ...set(r)]),
  ];
}

/**
 * The sparse part of A_u v (or of the residual b_u - A_u v) over the plays [q0, q1) of one row.
 * Four plays at a time: their dot products with v share each load of v and are reduced into one
 * vector [t0 t1 t2 t3]; then out += sum_l coef_l y_l shares each load and store of out. The
 * remaining 0 to 3 plays go one at a time.
 */
function sparseFunction(k: number, residual: boolean, fused: boolean): WasmFunction {
  const f = new WasmFunction(residual ? "sparseResidual" : "sparseStep", [
    ["y", i32],
    ["idx", i32],
    ["conf", i32],
    ["q0", i32],
    ["q1", i32],
    ["v", i32],
    ["out", i32],
  ]);
  const [y, idx, conf, q0, q1, v, out] = range(7);
  const q = f.local("q"),
    one = f.local("one", v128),
    t = f.local("t", v128),
    c = f.local("c", v128);
  const rows = range(4).map((l) => f.local(`y${l}`));
  const coefs = range(4).map((l) => f.local(`coef${l}`, v128));
  const vectors = k / 4;
  const rowOf = (l: number) => [...elementAddress(get(idx), q), ...i32load(4 * l), ...i32c(4 * k), ...i32mul, ...get(y), ...i32add];
  // coef = (c - 1) t, or c - (c - 1) t for the residual; c and t on the stack as locals.
  const coefficient = (cv: number, tv: number) =>
    residual ? [...get(cv), ...get(cv), ...get(one), ...sub, ...get(tv), ...mul, ...sub] : [...get(cv), ...get(one), ...sub, ...get(tv), ...mul];

  // Four plays: one dot-product accumulator each.
  const acc = range(4).map((l) => f.local(`acc${l}`, v128));
  const dots = dotLoop(f, fused, k, v, rows, acc);
  // [a0 a1 a2 a3] lane sums -> t = [t0 t1 t2 t3]: pairwise folds of lanes (0,2) and (1,3).
  const fold = (a: number, b: number, lo: [number, number, number, number], hi: [number, number, number, number], into: number) => [
    ...get(a),
    ...get(b),
    ...shuffle(lo),
    ...get(a),
    ...get(b),
    ...shuffle(hi),
    ...add,
    ...set(into),
  ];
  const reduce = [
    ...fold(acc[0], acc[1], [0, 1, 4, 5], [2, 3, 6, 7], acc[0]),
    ...fold(acc[2], acc[3], [0, 1, 4, 5], [2, 3, 6, 7], acc[2]),
    ...fold(acc[0], acc[2], [0, 2, 4, 6], [1, 3, 5, 7], t),
  ];
  const axpy4 = range(vectors).flatMap((j) => {
    const term = (l: number): [Code, Code] => [get(coefs[l]), [...get(rows[l]), ...load(16 * j)]];
    return [...get(out), ...maddSum(fused, range(4).map(term), [...get(out), ...load(16 * j)]), ...store(16 * j)];
  });
  const group = [
    ...rows.flatMap((yl, l) => [...rowOf(l), ...set(yl)]),
    ...dots,
    ...reduce,
    ...elementAddress(get(conf), q),
    ...load(0),
    ...set(c),
    ...coefficient(c, t),
    ...set(c),
    ...coefs.flatMap((cl, l) => [...get(c), ...get(c), ...shuffle([l, l, l, l]), ...set(cl)]),
    ...axpy4,
  ];

  // One play: y0 . v, repeated in every lane by the fold.
  const y0 = rows[0];
  const single = [
    ...rowOf(0),
    ...set(y0),
    ...dotLoop(f, fused, k, v, [y0], [t]),
    ...foldLanes(t),
    ...set(t),
    ...elementAddress(get(conf), q),
    ...loadSplat(0),
    ...set(c),
    ...coefficient(c, t),
    ...set(c),
    ...range(vectors).flatMap((j) => [...get(out), ...madd(fused, get(c), [...get(y0), ...load(16 * j)], [...get(out), ...load(16 * j)]), ...store(16 * j)]),
  ];
  f.body = [
    ...f32c(1),
    ...splat,
    ...set(one),
    ...get(q0),
    ...set(q),
    ...block(loop(get(q), i32c(4), i32add, get(q1), i32gtS, brIf(1), group, get(q), i32c(4), i32add, set(q), br(0))),
    ...forLoop(q, get(q), get(q1), 1, single),
  ];
  return f;
}

/**
 * Warm-started conjugate gradient (Takacs, Pilaszy and Tikk 2011, algorithm 2) for rows
 * [start, end) of x against fixed factors y and G = Y^T Y + lambda I: the same recurrence as
 * `solveRowsCg`, on float32 vectors, with `work` holding this thread's r, p and A p (3k floats).
 */
function solveFunction(k: number, fused: boolean): WasmFunction {
  const names = ["indptr", "idx", "conf", "y", "x", "g", "work", "start", "end", "steps"] as const;
  const f = new WasmFunction(
    "solve",
    names.map((n) => [n, i32]),
  );
  const [indptr, idx, conf, y, xs, g, work, start, end, steps] = range(names.length);
  const u = f.local("u"),
    q0 = f.local("q0"),
    q1 = f.local("q1"),
    x = f.local("xRow"),
    it = f.local("it");
  const r = f.local("r"),
    p = f.local("p"),
    ap = f.local("ap");
  const rsOld = f.local("rsOld", f64),
    rsNew = f.local("rsNew", f64),
    pap = f.local("pap", f64);
  const alpha = f.local("alpha", v128),
    beta = f.local("beta", v128),
    tmp = f.local("tmp", v128);
  const vectors = k / 4;
  const at = (ptr: number, j: number) => [...get(ptr), ...load(16 * j)];
  const each = (code: (j: number) => Code) => range(vectors).flatMap(code);
  const sparse = (fn: number, vecPtr: number, outPtr: number) => [
    ...get(y),
    ...get(idx),
    ...get(conf),
    ...get(q0),
    ...get(q1),
    ...get(vecPtr),
    ...get(outPtr),
    ...call(fn),
  ];
  /** Scalar a / b in float64, rounded to float32 and repeated in four lanes. */
  const ratio = (a: number, b: number) => [...get(a), ...get(b), ...f64div, ...f32demote, ...splat];

  const step = [
    ...get(g),
    ...get(p),
    ...get(ap),
    ...call(GEMV),
    ...sparse(SPARSE_STEP, p, ap),
    ...sumOverVectors(
      f,
      fused,
      vectors,
      () => [],
      (j) => at(p, j),
      (j) => at(ap, j),
    ),
    ...f64promote,
    ...set(pap),
    // Depths: 0 this loop, 1 the loop's block, 2 the row's block.
    ...get(pap),
    ...f64c(0),
    ...f64gt,
    ...i32eqz,
    ...brIf(2),
    ...ratio(rsOld, pap),
    ...set(alpha),
    // x += alpha p; r -= alpha A p; rsNew = r . r, in one pass.
    ...each((j) => [...get(x), ...madd(fused, get(alpha), at(p, j), at(x, j)), ...store(16 * j)]),
    ...sumOverVectors(
      f,
      fused,
      vectors,
      (j) => [...get(r), ...nmadd(fused, get(alpha), at(ap, j), at(r, j)), ...tee(tmp), ...store(16 * j)],
      () => get(tmp),
      () => get(tmp),
    ),
    ...f64promote,
    ...set(rsNew),
    ...get(rsNew),
    ...f64c(1e-20),
    ...f64lt,
    ...brIf(2),
    ...ratio(rsNew, rsOld),
    ...set(beta),
    ...each((j) => [...get(p), ...madd(fused, get(beta), at(p, j), at(r, j)), ...store(16 * j)]),
    ...get(rsNew),
    ...set(rsOld),
  ];
  const row = [
    ...get(xs),
    ...get(u),
    ...i32c(4 * k),
    ...i32mul,
    ...i32add,
    ...set(x),
    ...elementAddress(get(indptr), u),
    ...tee(q1),
    ...i32load(0),
    ...set(q0),
    ...get(q1),
    ...i32load(4),
    ...set(q1),
    // r = b - A x = sum_q (c_q - (c_q - 1) y_q . x) y_q - G x
    ...get(g),
    ...get(x),
    ...get(r),
    ...call(GEMV),
    ...each((j) => [...get(r), ...at(r, j), ...neg, ...store(16 * j)]),
    ...sparse(SPARSE_RESIDUAL, x, r),
    // p = r; rsOld = r . r
    ...sumOverVectors(
      f,
      fused,
      vectors,
      (j) => [...get(p), ...at(r, j), ...tee(tmp), ...store(16 * j)],
      () => get(tmp),
      () => get(tmp),
    ),
    ...f64promote,
    ...set(rsOld),
    ...block(get(rsOld), f64c(1e-20), f64lt, brIf(0), forLoop(it, i32c(0), get(steps), 1, step)),
  ];
  f.body = [
    ...get(work),
    ...set(r),
    ...get(work),
    ...i32c(4 * k),
    ...i32add,
    ...set(p),
    ...get(work),
    ...i32c(8 * k),
    ...i32add,
    ...set(ap),
    ...forLoop(u, get(start), get(end), 1, row),
  ];
  return f;
}

/**
 * out = Y^T Y + reg I. Y is read in blocks of rows small enough to stay in the L1 cache; for each
 * block, tiles of 4 rows x 8 columns of the upper triangle of out accumulate in registers
 * (8 vectors) while the block's rows stream past. The lower triangle is mirrored at the end.
 */
function gramFunction(k: number, fused: boolean): WasmFunction {
  const f = new WasmFunction("gram", [
    ["y", i32],
    ["m", i32],
    ["out", i32],
    ["reg", f32],
  ]);
  const [y, m, out, reg] = [0, 1, 2, 3];
  const yb = f.local("yb"),
    ye = f.local("ye"),
    yAll = f.local("yAll"),
    a0 = f.local("a0"),
    c = f.local("c");
  const o = f.local("o"),
    ya = f.local("ya"),
    yaEnd = f.local("yaEnd"),
    yc = f.local("yc"),
    i = f.local("i"),
    b = f.local("b");
  const s = f.local("s", v128),
    yv = [f.local("yv0", v128), f.local("yv1", v128)];
  const vectors = k / 4,
    rowBytes = 4 * k;
  const blockBytes = Math.max(16, Math.floor(4096 / k)) * rowBytes;

  /** One tile: rows a0..a0+3 of out, `width` vectors from byte column offset `colBytes` (code). */
  const tile = (width: number, colBytes: Code) => {
    const acc = range(4).map((r) => range(width).map((h) => f.local(`acc${r}${h}`, v128)));
    const perRow = [
      ...range(width).flatMap((h) => [...get(yc), ...load(16 * h), ...set(yv[h])]),
      ...range(4).flatMap((r) => [
        ...get(ya),
        ...loadSplat(4 * r),
        ...set(s),
        ...range(width).flatMap((h) => [...madd(fused, get(s), get(yv[h]), get(acc[r][h])), ...set(acc[r][h])]),
      ]),
    ];
    return [
      ...get(out),
      ...get(a0),
      ...i32c(rowBytes),
      ...i32mul,
      ...i32add,
      ...colBytes,
      ...i32add,
      ...set(o),
      ...get(yb),
      ...colBytes,
      ...i32add,
      ...set(yc),
      ...elementAddress(get(yb), a0),
      ...tee(ya),
      ...get(ye),
      ...get(yb),
      ...i32sub,
      ...i32add,
      ...set(yaEnd),
      ...range(4).flatMap((r) => range(width).flatMap((h) => [...get(o), ...load(r * rowBytes + 16 * h), ...set(acc[r][h])])),
      ...loop(perRow, get(yc), i32c(rowBytes), i32add, set(yc), get(ya), i32c(rowBytes), i32add, tee(ya), get(yaEnd), i32ltU, brIf(0)),
      ...range(4).flatMap((r) => range(width).flatMap((h) => [...get(o), ...get(acc[r][h]), ...store(r * rowBytes + 16 * h)])),
    ];
  };
  const pairs = vectors >> 1;
  const tiles = [
    // Pairs of vectors from the one holding column a0 (8-aligned) to the last full pair.
    ...forLoop(c, [...get(a0), ...i32c(3), ...i32shrU], i32c(pairs), 1, tile(2, [...get(c), ...i32c(32), ...i32mul])),
    ...(vectors % 2 ? tile(1, i32c(4 * (k - 4))) : []),
  ];
  const addr = (rowIdx: number, colIdx: number) => elementAddress([...get(out), ...get(rowIdx), ...i32c(rowBytes), ...i32mul, ...i32add], colIdx);
  f.body = [
    ...forLoop(i, i32c(0), i32c(k * rowBytes), 16, get(out), get(i), i32add, zero, store(0)),
    ...get(y),
    ...get(m),
    ...i32c(rowBytes),
    ...i32mul,
    ...i32add,
    ...set(yAll),
    ...forLoop(
      yb,
      get(y),
      get(yAll),
      blockBytes,
      // ye = min(yb + blockBytes, yAll), without overflowing
      get(yAll),
      get(yb),
      i32c(blockBytes),
      i32add,
      get(yAll),
      get(yb),
      i32sub,
      i32c(blockBytes),
      i32ltU,
      select,
      set(ye),
      forLoop(a0, i32c(0), i32c(k), 4, tiles),
    ),
    // Mirror the upper triangle and add reg on the diagonal.
    ...forLoop(
      i,
      i32c(0),
      i32c(k),
      1,
      forLoop(b, i32c(0), get(i), 1, addr(i, b), addr(b, i), f32load(), f32store()),
      addr(i, i),
      addr(i, i),
      f32load(),
      get(reg),
      f32add,
      f32store(),
    ),
  ];
  return f;
}

/** Index of the first float of the first vector holding a NaN or an infinity (v - v is NaN for those), or -1. */
function firstNonFiniteFunction(): WasmFunction {
  const f = new WasmFunction(
    "firstNonFinite",
    [
      ["ptr", i32],
      ["n", i32],
    ],
    [i32],
  );
  const [ptr, n] = [0, 1];
  const i = f.local("i"),
    d = f.local("d", v128);
  f.body = [
    ...forLoop(
      i,
      i32c(0),
      [...get(n), ...i32c(2), ...i32shl],
      16,
      get(ptr),
      get(i),
      i32add,
      load(0),
      tee(d),
      get(d),
      sub,
      tee(d),
      get(d),
      ne,
      anyTrue,
      ifThen(get(i), i32c(2), i32shrU, ret),
    ),
    ...i32c(-1),
  ];
  return f;
}

/**
 * The module for k factors; it imports `env.memory`, shared, of any size up to 4 GiB. With
 * `relaxed` (default: when the runtime has it) its multiply-adds are relaxed_madd; `names` adds
 * the name section for the listing (wasm-kernels.wat).
 */
export function cgModuleBytes(k: number, relaxed = relaxedSimdSupported(), names = false): Uint8Array<ArrayBuffer> {
  if (!(k >= 4 && k % 4 === 0)) throw new RangeError(`the CG kernels need a multiple of 4 factors, got ${k}`);
  const functions = [
    gemvFunction(k, relaxed),
    sparseFunction(k, false, relaxed),
    sparseFunction(k, true, relaxed),
    solveFunction(k, relaxed),
    gramFunction(k, relaxed),
    firstNonFiniteFunction(),
  ];
  return moduleBytes(functions, 1, 65_536, names);
}

export interface CgKernels {
  gemv(g: number, v: number, out: number): void;
  sparseStep(y: number, idx: number, conf: number, q0: number, q1: number, v: number, out: number): void;
  sparseResidual(y: number, idx: number, conf: number, q0: number, q1: number, v: number, out: number): void;
  solve(indptr: number, idx: number, conf: number, y: number, x: number, g: number, work: number, start: number, end: number, steps: number): void;
  gram(y: number, m: number, out: number, reg: number): void;
  firstNonFinite(ptr: number, n: number): number;
}

const compiled = new Map<string, WebAssembly.Module>();

/**
 * The kernels for k factors over a shared memory (the module is compiled once per k, variant and
 * thread); `relaxed` as in `cgModuleBytes`.
 */
export function instantiateCg(memory: WebAssembly.Memory, k: number, relaxed = relaxedSimdSupported()): CgKernels {
  const key = `${k}${relaxed ? "r" : ""}`;
  let module = compiled.get(key);
  if (!module) {
    module = new WebAssembly.Module(cgModuleBytes(k, relaxed));
    compiled.set(key, module);
  }
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as CgKernels;
}
