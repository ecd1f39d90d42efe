import type { Csr } from "../core/matrix.ts";
import { instantiateCg, type CgKernels } from "./wasm-cg.ts";

/**
 * Where the CG problem lives inside one shared WebAssembly memory for the whole fit: factors,
 * the float32 Gram matrix, both confidence matrices (indptr included) and per-thread work
 * vectors. The kernels read and write it in place, so nothing is copied per row or per sweep.
 */
export interface SimdArena {
  memory: WebAssembly.Memory;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Y^T Y + lambda I of the side held fixed, k x k. */
  gram: Float32Array;
  userItems: Csr;
  itemUsers: Csr;
  /** threads x 3 vectors of k floats (r, p, A p). */
  scratch: Float32Array;
}

const maxPages = 65_536; // 4 GiB, the wasm32 limit

/** Lays the problem out in a new shared memory, or returns null when it would not fit in 4 GiB. */
export function allocateSimdArena(users: Csr, items: Csr, k: number, threads: number): SimdArena | null {
  const nnz = users.indptr[users.rows];
  const sizes = [users.rows * k, items.rows * k, k * k, nnz, nnz, nnz, nnz, threads * 3 * k, users.rows + 1, items.rows + 1].map((n) => Math.max(4, n));
  const offsets: number[] = [];
  let bytes = 0;
  // Every array starts on a 64-byte cache line, so a row of 64 factors spans 4 lines, not 5.
  for (const n of sizes) {
    offsets.push(bytes);
    bytes += Math.ceil((n * 4) / 64) * 64;
  }
  const pages = Math.ceil(bytes / 65_536) + 1;
  if (pages > maxPages) return null;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buf = memory.buffer;
  const f32 = (i: number) => new Float32Array(buf, offsets[i], sizes[i]);
  const i32 = (i: number) => new Int32Array(buf, offsets[i], sizes[i]);
  const place = (m: Csr, idx: number, ptr: number): Csr => {
    const indptr = i32(ptr).subarray(0, m.rows + 1),
      indices = i32(idx),
      data = f32(idx + 1);
    indptr.set(m.indptr.subarray(0, m.rows + 1));
    indices.set(m.indices.subarray(0, nnz));
    data.set(m.data.subarray(0, nnz));
    return { rows: m.rows, cols: m.cols, indptr, indices, data };
  };
  return {
    memory,
    userFactors: f32(0).subarray(0, users.rows * k),
    itemFactors: f32(1).subarray(0, items.rows * k),
    gram: f32(2).subarray(0, k * k),
    userItems: place(users, 3, 8),
    itemUsers: place(items, 5, 9),
    scratch: f32(7),
  };
}

/** A thread's handle on the arena: the CG kernels compiled for k, over the arena's memory. */
export class SimdSolver {
  private readonly kernels: CgKernels;
  constructor(
    private readonly arena: SimdArena,
    private readonly k: number,
  ) {
    this.kernels = instantiateCg(arena.memory, k);
  }

  /**
   * Warm-started CG over rows [start, end) of one side, the same algorithm as `solveRowsCg`
   * (Takacs et al. 2011) in float32, as a single call into the module.
   */
  solveCg(side: "users" | "items", start: number, end: number, steps: number, thread: number): void {
    const { k, arena } = this;
    const solving = side === "users" ? arena.userFactors : arena.itemFactors;
    const fixed = side === "users" ? arena.itemFactors : arena.userFactors;
    const csr = side === "users" ? arena.userItems : arena.itemUsers;
    const work = arena.scratch.byteOffset + thread * 12 * k;
    this.kernels.solve(
      csr.indptr.byteOffset,
      csr.indices.byteOffset,
      csr.data.byteOffset,
      fixed.byteOffset,
      solving.byteOffset,
      arena.gram.byteOffset,
      work,
      start,
      end,
      steps,
    );
  }

  /** arena.gram = Y^T Y + regularization I, Y the factors of `fixedSide`. */
  gram(fixedSide: "users" | "items", regularization: number): void {
    const y = fixedSide === "users" ? this.arena.userFactors : this.arena.itemFactors;
    this.kernels.gram(y.byteOffset, y.length / this.k, this.arena.gram.byteOffset, regularization);
  }

  /** Index of the first non-finite factor of a side (to the vector of 4), or -1. */
  firstNonFinite(side: "users" | "items"): number {
    const f = side === "users" ? this.arena.userFactors : this.arena.itemFactors;
    return this.kernels.firstNonFinite(f.byteOffset, f.length);
  }
}
