import { Worker } from "node:worker_threads";
import type { Csr } from "../core/matrix.ts";
import { RowScratch, solveRowsCg, solveRowsCholesky, type RowProblem } from "./als-rows.ts";
import { SimdSolver, type SimdArena } from "./simd-rows.ts";

/** Everything the row solves read, in SharedArrayBuffers when threads > 1. */
export interface SharedAlsState {
  k: number;
  solver: "cg" | "cholesky";
  cgSteps: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Y^T Y + lambda I of the side held fixed in the current half-sweep (with `simd`, in `simd.gram` instead). */
  gram: Float64Array;
  /** Confidence matrices, users x items and its transpose. */
  userItems: Csr;
  itemUsers: Csr;
  /** When set, everything above lives in this WebAssembly memory and CG runs the SIMD kernels. */
  simd?: SimdArena;
}

export type PoolRequest = { type: "init"; state: SharedAlsState; thread: number } | { type: "solve"; side: "users" | "items"; start: number; end: number };

type PoolReply = { ok: true } | { ok: false; error: string };

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

/** Copies a CSR into shared memory so worker threads read it without copies of their own. */
export function sharedCsr(m: Csr): Csr {
  const n = m.indptr[m.rows];
  const indptr = new Int32Array(new SharedArrayBuffer((m.rows + 1) * 4));
  const indices = new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4));
  const data = new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4));
  indptr.set(m.indptr);
  indices.set(m.indices.subarray(0, n));
  data.set(m.data.subarray(0, n));
  return { rows: m.rows, cols: m.cols, indptr, indices, data };
}

/** Solves rows [start, end) of one side on the calling thread, by whichever kernel the state names. */
export function solveRange(
  s: SharedAlsState,
  side: "users" | "items",
  start: number,
  end: number,
  scratch: RowScratch,
  simd: SimdSolver | null,
  thread: number,
): void {
  if (simd && s.solver === "cg") {
    simd.solveCg(side, start, end, s.cgSteps, thread);
    return;
  }
  const csr = side === "users" ? s.userItems : s.itemUsers;
  const pr: RowProblem = {
    k: s.k,
    solving: side === "users" ? s.userFactors : s.itemFactors,
    fixed: side === "users" ? s.itemFactors : s.userFactors,
    gram: s.gram,
    indptr: csr.indptr,
    indices: csr.indices,
    confidence: csr.data,
  };
  if (s.solver === "cg") solveRowsCg(pr, start, end, s.cgSteps, scratch);
  else solveRowsCholesky(pr, start, end, scratch);
}

/**
 * Splits rows [0, rows) into `parts` contiguous ranges of about equal work, where a row costs
 * its k-wide dense product plus two k-wide passes per stored entry.
 */
export function balancedRanges(indptr: Int32Array, rows: number, parts: number, k: number): number[] {
  const total = rows * k + 2 * indptr[rows];
  const bounds = [0];
  let row = 0;
  for (let p = 1; p < parts; p++) {
    const target = (total * p) / parts;
    while (row < rows && row * k + 2 * indptr[row] < target) row++;
    bounds.push(row);
  }
  bounds.push(rows);
  return bounds;
}

/**
 * Solves rows on the calling thread plus `threads - 1` workers. Each row solve is independent
 * and computed by the same code wherever it runs, so results do not depend on the thread count.
 */
export class RowSolvePool {
  private readonly scratch: RowScratch;
  private simd: SimdSolver | null = null;

  private constructor(
    private readonly state: SharedAlsState,
    private readonly workers: Worker[],
  ) {
    this.scratch = new RowScratch(state.k, state.solver === "cholesky");
  }

  /** `simd`, when given, is the calling thread's solver over `state.simd` (else one is made). */
  static async start(state: SharedAlsState, threads: number, simd: SimdSolver | null = null): Promise<RowSolvePool> {
    const workers: Worker[] = [];
    const pool = new RowSolvePool(state, workers);
    try {
      for (let t = 1; t < threads; t++) workers.push(new Worker(new URL("./solve-worker.mjs", import.meta.url)));
      await Promise.all(workers.map((w, t) => pool.call(w, { type: "init", state, thread: t })));
      // The calling thread uses the last scratch slot.
      if (state.simd) pool.simd = simd ?? new SimdSolver(state.simd, state.k);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  private call(worker: Worker, request: PoolRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: PoolReply) => {
        worker.off("error", onError);
        if (reply.ok) resolve();
        else reject(new Error(`row-solve worker failed: ${reply.error}`));
      };
      const onError = (error: Error) => {
        worker.off("message", onMessage);
        reject(error);
      };
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.postMessage(request);
    });
  }

  /** Solves every row of one side against the other side and `state.gram`. */
  async solve(side: "users" | "items"): Promise<void> {
    const s = this.state;
    const csr = side === "users" ? s.userItems : s.itemUsers;
    const bounds = balancedRanges(csr.indptr, csr.rows, this.workers.length + 1, s.k);
    const pending = this.workers.map((w, t) => this.call(w, { type: "solve", side, start: bounds[t], end: bounds[t + 1] }));
    const last = this.workers.length;
    // The calling thread takes the last range itself rather than idling while the workers run.
    try {
      solveRange(s, side, bounds[last], bounds[last + 1], this.scratch, this.simd, last);
    } finally {
      await Promise.allSettled(pending);
    }
    await Promise.all(pending);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
