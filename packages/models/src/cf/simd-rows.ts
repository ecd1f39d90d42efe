import type { Csr } from "../core/matrix.ts";
import { instantiateSimd, type SimdKernels } from "./wasm-simd.ts";

/**
 * Where the CG problem lives inside one shared WebAssembly memory: factors, the float32 Gram
 * matrix, both confidence matrices (indptr stays outside) and per-thread scratch vectors.
 */
export interface SimdArena {
  memory: WebAssembly.Memory;
  pages: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  gram: Float32Array;
  userItems: Csr;
  itemUsers: Csr;
  /** threads x 4 vectors of k floats (x, r, p, Ap). */
  scratch: Float32Array;
}

const maxPages = 65_536; // 4 GiB, the wasm32 limit

/** Lays the problem out in a new shared memory, or returns null when it would not fit in 4 GiB. */
export function allocateSimdArena(users: Csr, items: Csr, k: number, threads: number): SimdArena | null {
  const nnz = users.indptr[users.rows];
  const sizes = [users.rows * k, items.rows * k, k * k, nnz, nnz, nnz, nnz, threads * 4 * k].map((n) => Math.max(4, n));
  const offsets: number[] = [];
  let bytes = 0;
  for (const n of sizes) {
    offsets.push(bytes);
    bytes += Math.ceil((n * 4) / 16) * 16;
  }
  const pages = Math.ceil(bytes / 65_536) + 1;
  if (pages > maxPages) return null;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buf = memory.buffer;
  const f32 = (i: number) => new Float32Array(buf, offsets[i], sizes[i]);
  const i32 = (i: number) => new Int32Array(buf, offsets[i], sizes[i]);
  const place = (m: Csr, idx: number): Csr => {
    const indptr = new Int32Array(new SharedArrayBuffer((m.rows + 1) * 4));
    indptr.set(m.indptr);
    const indices = i32(idx), data = f32(idx + 1);
    indices.set(m.indices.subarray(0, nnz));
    data.set(m.data.subarray(0, nnz));
    return { rows: m.rows, cols: m.cols, indptr, indices, data };
  };
  return {
    memory, pages,
    userFactors: f32(0).subarray(0, users.rows * k),
    itemFactors: f32(1).subarray(0, items.rows * k),
    gram: f32(2),
    userItems: place(users, 3),
    itemUsers: place(items, 5),
    scratch: f32(7),
  };
}

/** A thread's handle on the arena: the compiled kernels plus a float view of the memory. */
export class SimdSolver {
  private readonly kernels: SimdKernels;
  constructor(private readonly arena: SimdArena, private readonly k: number) {
    this.kernels = instantiateSimd(arena.memory, arena.pages);
  }

  /**
   * Warm-started CG over rows [start, end), the same algorithm as `solveRowsCg` (Takacs et al.
   * 2011) in float32, with the G v and sparse passes in the SIMD kernels.
   */
  solveCg(side: "users" | "items", start: number, end: number, steps: number, thread: number): void {
    const { k, kernels, arena } = this;
    const solving = side === "users" ? arena.userFactors : arena.itemFactors;
    const fixed = side === "users" ? arena.itemFactors : arena.userFactors;
    const csr = side === "users" ? arena.userItems : arena.itemUsers;
    const xPtr = arena.scratch.byteOffset + thread * 16 * k;
    const rPtr = xPtr + 4 * k, pPtr = rPtr + 4 * k, apPtr = pPtr + 4 * k;
    const gramPtr = arena.gram.byteOffset, fixedPtr = fixed.byteOffset;
    const idxPtr = csr.indices.byteOffset, confPtr = csr.data.byteOffset;
    for (let u = start; u < end; u++) {
      const rowPtr = solving.byteOffset + u * 4 * k;
      kernels.combine(xPtr, rowPtr, k, 1, 0);
      const q0 = csr.indptr[u], q1 = csr.indptr[u + 1];
      // r = b - A x, accumulated as -(G x) plus the sparse residual terms.
      kernels.gemv(gramPtr, xPtr, rPtr, k);
      kernels.combine(rPtr, rPtr, k, 0, -1);
      kernels.sparse(fixedPtr, idxPtr, confPtr, q0, q1, xPtr, rPtr, k, 1);
      kernels.combine(pPtr, rPtr, k, 1, 0);
      let rsOld = kernels.dot(rPtr, rPtr, k);
      if (rsOld < 1e-20) continue;
      for (let it = 0; it < steps; it++) {
        kernels.gemv(gramPtr, pPtr, apPtr, k);
        kernels.sparse(fixedPtr, idxPtr, confPtr, q0, q1, pPtr, apPtr, k, 0);
        const pap = kernels.dot(pPtr, apPtr, k);
        if (!(pap > 0)) break;
        const alpha = rsOld / pap;
        kernels.combine(xPtr, pPtr, k, alpha, 1);
        kernels.combine(rPtr, apPtr, k, -alpha, 1);
        const rsNew = kernels.dot(rPtr, rPtr, k);
        if (rsNew < 1e-20) break;
        kernels.combine(pPtr, rPtr, k, 1, rsNew / rsOld);
        rsOld = rsNew;
      }
      kernels.combine(rowPtr, xPtr, k, 1, 0);
    }
  }
}
