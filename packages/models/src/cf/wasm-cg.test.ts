import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../core/random.ts";
import { RowScratch, solveRowsCg } from "./als-rows.ts";
import { confidenceMatrix } from "./signals.ts";
import { maxAbsDiff, randomPlays } from "./test-fixtures.ts";
import { relaxedSimdProbeBytes, relaxedSimdSupported } from "./wasm-asm.ts";
import { cgModuleBytes, instantiateCg } from "./wasm-cg.ts";

// What the kernels pick on this runtime, read before anything below can change V8's flags.
const nodeMajor = Number(process.versions.node.split(".")[0]);
const productUsesRelaxed = relaxedSimdSupported();

/**
 * Whether the relaxed-SIMD kernels can be tested here: natively on Node 22 and later; on Node 20
 * (V8 11.3) behind V8's --experimental-wasm-relaxed-simd, switched on for this test process
 * only, so that the fused kernels are checked against the plain ones on every supported line.
 * The product never sets the flag: on Node 20 it runs the plain kernels.
 */
function relaxedTestable(): boolean {
  if (WebAssembly.validate(relaxedSimdProbeBytes())) return true;
  try {
    setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    return false;
  }
  return WebAssembly.validate(relaxedSimdProbeBytes());
}

describe("relaxed SIMD feature check", () => {
  it("uses the fused multiply-add kernels on Node 22 and later, the plain SIMD ones on Node 20", () => {
    const disabled = process.env.DEEPCUTS_WASM_RELAXED_SIMD === "0";
    expect(productUsesRelaxed).toBe(nodeMajor >= 22 && !disabled);
  });
});

const variants = relaxedTestable() ? [false, true] : [false];

/** A small shared memory with a bump allocator, for placing kernel inputs at byte offsets. */
function arena(pages = 16) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  let next = 64; // keep 0 unused
  const alloc = (floats: number) => {
    const at = next;
    next += Math.ceil((floats * 4) / 16) * 16 + 16;
    return at;
  };
  const f32 = (at: number, n: number) => new Float32Array(memory.buffer, at, n);
  const i32 = (at: number, n: number) => new Int32Array(memory.buffer, at, n);
  return { memory, pages, alloc, f32, i32 };
}

const random = seededRandom(77);
const fill = (a: Float32Array, scale = 1) => {
  for (let i = 0; i < a.length; i++) a[i] = (random() - 0.5) * scale;
  return a;
};

/** Plain loops: the sparse pass of one row, float64 sums. */
function sparseReference(
  y: Float32Array,
  idx: ArrayLike<number>,
  conf: ArrayLike<number>,
  v: Float32Array,
  out: Float32Array,
  k: number,
  residual: boolean,
): Float64Array {
  const expected = Float64Array.from(out);
  for (let q = 0; q < idx.length; q++) {
    let t = 0;
    for (let b = 0; b < k; b++) t += y[idx[q] * k + b] * v[b];
    const c = conf[q];
    const coef = residual ? c - (c - 1) * t : (c - 1) * t;
    for (let b = 0; b < k; b++) expected[b] += coef * y[idx[q] * k + b];
  }
  return expected;
}

// Widths: 4 (one vector), 20 (odd number of vectors, under one chunk of 8), 64 (the default), 72;
// each as plain SIMD and with relaxed SIMD's fused multiply-add.
const cases = variants.flatMap((relaxed) => [4, 20, 64, 72].map((k) => [k, relaxed ? "relaxed SIMD" : "plain SIMD"] as const));

describe.each(cases)("CG kernels for k = %i, %s", (k, variant) => {
  const relaxed = variant === "relaxed SIMD";
  const instantiate = (memory: WebAssembly.Memory) => instantiateCg(memory, k, relaxed);

  it("is a valid module", () => {
    expect(WebAssembly.validate(cgModuleBytes(k, relaxed))).toBe(true);
  });

  it("gemv computes G v for a symmetric G", () => {
    const a = arena(),
      w = instantiate(a.memory);
    const [gAt, vAt, outAt] = [a.alloc(k * k), a.alloc(k), a.alloc(k)];
    const g = a.f32(gAt, k * k),
      v = fill(a.f32(vAt, k));
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) g[i * k + j] = g[j * k + i] = random() - 0.5;
    w.gemv(gAt, vAt, outAt);
    const expected = Array.from({ length: k }, (_, i) => g.subarray(i * k, i * k + k).reduce((s, x, j) => s + x * v[j], 0));
    expect(maxAbsDiff(a.f32(outAt, k), expected)).toBeLessThan(1e-4);
  });

  it("the sparse passes match plain loops for 0 to 9 plays (groups of four and the rest)", () => {
    const a = arena(),
      w = instantiate(a.memory);
    const items = 30;
    const [yAt, idxAt, confAt, vAt, outAt] = [a.alloc(items * k), a.alloc(16), a.alloc(16), a.alloc(k), a.alloc(k)];
    const y = fill(a.f32(yAt, items * k)),
      v = fill(a.f32(vAt, k)),
      out = a.f32(outAt, k);
    const idx = a.i32(idxAt, 16),
      conf = a.f32(confAt, 16);
    for (let q = 0; q < 16; q++) {
      idx[q] = Math.floor(random() * items);
      conf[q] = 1 + 5 * random();
    }
    for (const residual of [false, true]) {
      for (let n = 0; n <= 9; n++) {
        // Plays [3, 3 + n), so that the groups do not start at an aligned address.
        fill(out);
        const expected = sparseReference(y, idx.subarray(3, 3 + n), conf.subarray(3, 3 + n), v, out, k, residual);
        (residual ? w.sparseResidual : w.sparseStep)(yAt, idxAt, confAt, 3, 3 + n, vAt, outAt);
        expect(maxAbsDiff(out, expected)).toBeLessThan(1e-4);
      }
    }
  });

  it("gram computes Y^T Y + reg I over several row blocks", () => {
    const a = arena(),
      w = instantiate(a.memory);
    const m = 150; // more than one block of rows for every k tested here
    const [yAt, outAt] = [a.alloc(m * k), a.alloc(k * k)];
    const y = fill(a.f32(yAt, m * k)),
      out = fill(a.f32(outAt, k * k)); // garbage in out is overwritten
    w.gram(yAt, m, outAt, 0.25);
    const expected = new Float64Array(k * k);
    for (let r = 0; r < m; r++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expected[i * k + j] += y[r * k + i] * y[r * k + j];
    for (let i = 0; i < k; i++) expected[i * k + i] += 0.25;
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-4);
    w.gram(yAt, 0, outAt, 0.5);
    expect(Array.from(out).every((x, i) => x === (i % (k + 1) === 0 ? 0.5 : 0))).toBe(true);
  });

  it("solve runs the same CG as solveRowsCg (float64) on every row", () => {
    const plays = confidenceMatrix(randomPlays(40, 25, 7, k), 1, "log1p");
    const a = arena(),
      w = instantiate(a.memory);
    const [yAt, xAt, gAt, workAt, indptrAt, idxAt, confAt] = [
      a.alloc(25 * k),
      a.alloc(40 * k),
      a.alloc(k * k),
      a.alloc(3 * k),
      a.alloc(41),
      a.alloc(plays.indices.length),
      a.alloc(plays.data.length),
    ];
    const y = fill(a.f32(yAt, 25 * k), 0.5),
      x = fill(a.f32(xAt, 40 * k), 0.02);
    a.i32(indptrAt, 41).set(plays.indptr);
    a.i32(idxAt, plays.indices.length).set(plays.indices);
    a.f32(confAt, plays.data.length).set(plays.data);
    w.gram(yAt, 25, gAt, 0.05);
    const gram = Float64Array.from(a.f32(gAt, k * k));
    const problem = { k, solving: Float32Array.from(x), fixed: y, gram, indptr: plays.indptr, indices: plays.indices, confidence: plays.data };
    solveRowsCg(problem, 0, 40, 3, new RowScratch(k, false));
    w.solve(indptrAt, idxAt, confAt, yAt, xAt, gAt, workAt, 0, 40, 3);
    expect(maxAbsDiff(x, problem.solving)).toBeLessThan(1e-3);
    expect(
      maxAbsDiff(
        x,
        Float32Array.from(x, () => 0),
      ),
    ).toBeGreaterThan(0.05);
  });
});

describe("firstNonFinite", () => {
  it("finds the vector holding the first NaN or infinity", () => {
    const a = arena(1),
      w = instantiateCg(a.memory, 4);
    const at = a.alloc(64),
      f = a.f32(at, 64);
    fill(f);
    expect(w.firstNonFinite(at, 64)).toBe(-1);
    f[42] = Number.NEGATIVE_INFINITY;
    expect(w.firstNonFinite(at, 64)).toBe(40);
    f[9] = Number.NaN;
    expect(w.firstNonFinite(at, 64)).toBe(8);
    expect(w.firstNonFinite(at, 8)).toBe(-1);
  });
});

describe.runIf(variants.includes(true))("relaxed SIMD kernels against the plain SIMD ones", () => {
  it.each([20, 64])("k = %i: the same Gram matrix and CG solves, to float32 rounding", (k) => {
    const plays = confidenceMatrix(randomPlays(60, 30, 9, k), 1, "log1p");
    const solveWith = (relaxed: boolean) => {
      const local = seededRandom(11);
      const a = arena(),
        w = instantiateCg(a.memory, k, relaxed);
      const [yAt, xAt, gAt, workAt, indptrAt, idxAt, confAt] = [
        a.alloc(30 * k),
        a.alloc(60 * k),
        a.alloc(k * k),
        a.alloc(3 * k),
        a.alloc(61),
        a.alloc(plays.indices.length),
        a.alloc(plays.data.length),
      ];
      a.f32(yAt, 30 * k).set(Float32Array.from({ length: 30 * k }, () => (local() - 0.5) * 0.5));
      a.f32(xAt, 60 * k).set(Float32Array.from({ length: 60 * k }, () => (local() - 0.5) * 0.02));
      a.i32(indptrAt, 61).set(plays.indptr);
      a.i32(idxAt, plays.indices.length).set(plays.indices);
      a.f32(confAt, plays.data.length).set(plays.data);
      w.gram(yAt, 30, gAt, 0.05);
      const gram = Float32Array.from(a.f32(gAt, k * k));
      w.solve(indptrAt, idxAt, confAt, yAt, xAt, gAt, workAt, 0, 60, 3);
      return { gram, x: Float32Array.from(a.f32(xAt, 60 * k)) };
    };
    const plain = solveWith(false),
      fused = solveWith(true);
    expect(maxAbsDiff(fused.gram, plain.gram)).toBeLessThan(1e-5);
    expect(maxAbsDiff(fused.x, plain.x)).toBeLessThan(1e-4);
    // Different code, not the same module twice: relaxed_madd (0xfd 0x85 0x02) only in one.
    const hasMadd = (bytes: Uint8Array) => bytes.some((b, i) => b === 0xfd && bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02);
    expect([hasMadd(cgModuleBytes(k, false)), hasMadd(cgModuleBytes(k, true))]).toEqual([false, true]);
  });
});
