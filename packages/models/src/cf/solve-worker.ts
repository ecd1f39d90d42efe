import { parentPort } from "node:worker_threads";
import { RowScratch, solveRowsCg, solveRowsCholesky, type RowProblem } from "./als-rows.ts";
import type { PoolRequest, SharedAlsState } from "./solve-pool.ts";

// One thread of the row-solve pool: holds views of the shared factors and confidence matrices
// and solves the row range it is sent, writing straight into the shared factors.
let state: SharedAlsState | undefined;
let scratch: RowScratch | undefined;

function problem(s: SharedAlsState, side: "users" | "items"): RowProblem {
  const csr = side === "users" ? s.userItems : s.itemUsers;
  return {
    k: s.k,
    solving: side === "users" ? s.userFactors : s.itemFactors,
    fixed: side === "users" ? s.itemFactors : s.userFactors,
    gram: s.gram,
    indptr: csr.indptr,
    indices: csr.indices,
    confidence: csr.data,
  };
}

parentPort!.on("message", (request: PoolRequest) => {
  try {
    if (request.type === "init") {
      state = request.state;
      scratch = new RowScratch(state.k, state.solver === "cholesky");
      parentPort!.postMessage({ ok: true });
      return;
    }
    if (!state || !scratch) throw new Error("solve request before init");
    const pr = problem(state, request.side);
    if (state.solver === "cg") solveRowsCg(pr, request.start, request.end, state.cgSteps, scratch);
    else solveRowsCholesky(pr, request.start, request.end, scratch);
    parentPort!.postMessage({ ok: true });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
