import { parentPort } from "node:worker_threads";
import { RowScratch } from "./als-rows.ts";
import { SimdSolver } from "./simd-rows.ts";
import { solveRange, type PoolRequest, type SharedAlsState } from "./solve-pool.ts";

// One thread of the row-solve pool: holds views of the shared factors and confidence matrices
// and solves the row range it is sent, writing straight into the shared factors.
let state: SharedAlsState | undefined;
let scratch: RowScratch | undefined;
let simd: SimdSolver | null = null;
let thread = 0;

parentPort!.on("message", (request: PoolRequest) => {
  try {
    if (request.type === "init") {
      state = request.state;
      thread = request.thread;
      scratch = new RowScratch(state.k, state.solver === "cholesky");
      simd = state.simd ? new SimdSolver(state.simd, state.k) : null;
      parentPort!.postMessage({ ok: true });
      return;
    }
    if (!state || !scratch) throw new Error("solve request before init");
    solveRange(state, request.side, request.start, request.end, scratch, simd, thread);
    parentPort!.postMessage({ ok: true });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
