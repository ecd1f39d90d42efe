import { availableParallelism } from "node:os";
import { CancelledError, ModelFitError } from "../core/errors.ts";
import { transposeCsr, type Csr, type DenseMatrix } from "../core/matrix.ts";
import { RowScratch, solveRowsCholesky, type RowProblem } from "./als-rows.ts";
import { createBackend, type CfBackend } from "./backend.ts";
import { MatrixFactorization } from "./factorization.ts";
import { solveRowsBatchedCg } from "./batched-cg.ts";
import { cpuKernels } from "./kernels-cpu.ts";
import { readModelFile, writeModelFile } from "./model-file.ts";
import { alsParams, randomOf, storableParams, type AlsParams } from "./params.ts";
import type { FitOptions } from "./recommend.ts";
import { checkCsr, confidenceMatrix } from "./signals.ts";
import { allocateSimdArena, SimdSolver } from "./simd-rows.ts";
import { RowSolvePool, sharedCsr, sharedFloat32, type SharedAlsState } from "./solve-pool.ts";
import { simdSupported } from "./wasm-simd.ts";

/**
 * Implicit-feedback ALS (Hu, Koren and Volinsky 2008) with the `implicit` library's API shape.
 * `fit` takes interaction strengths (play counts, or `combineSignals` output) and turns them into
 * confidence c = 1 + alpha * f(r) itself.
 */
export class ImplicitAls extends MatrixFactorization {
  readonly params: AlsParams;
  private itemGram: Float64Array | null = null;

  constructor(options: Partial<AlsParams> = {}) {
    const params = alsParams(options, availableParallelism());
    super("ImplicitAls", params.backend);
    this.params = params;
  }

  /** Trains on a users x items matrix of interaction strengths (>= 0). Resolves to this model. */
  async fit(userItems: Csr, options: FitOptions = {}): Promise<this> {
    checkCsr(userItems, "userItems");
    const p = this.params;
    const k = p.factors;
    const confUsers = confidenceMatrix(userItems, p.alpha, p.confidence);
    const confItems = transposeCsr(confUsers);
    const backend = createBackend(p.backend);
    const threads = backend.kind === "cpu" ? Math.min(p.threads, Math.max(1, userItems.rows + userItems.cols)) : 1;
    const random = randomOf(p);
    const useSimd = backend.kind === "cpu" && p.solver === "cg" && p.simd && k % 4 === 0 && simdSupported();
    const arena = useSimd ? allocateSimdArena(confUsers, confItems, k, threads) : null;
    const shared = threads > 1 && !arena;
    const state: SharedAlsState = arena
      ? {
          k,
          solver: p.solver,
          cgSteps: p.cgSteps,
          userFactors: arena.userFactors,
          itemFactors: arena.itemFactors,
          gram: new Float64Array(k * k),
          userItems: arena.userItems,
          itemUsers: arena.itemUsers,
          simd: arena,
        }
      : {
          k,
          solver: p.solver,
          cgSteps: p.cgSteps,
          userFactors: shared ? sharedFloat32(userItems.rows * k) : new Float32Array(userItems.rows * k),
          itemFactors: shared ? sharedFloat32(userItems.cols * k) : new Float32Array(userItems.cols * k),
          gram: shared ? new Float64Array(new SharedArrayBuffer(k * k * 8)) : new Float64Array(k * k),
          userItems: shared ? sharedCsr(confUsers) : confUsers,
          itemUsers: shared ? sharedCsr(confItems) : confItems,
        };
    const { userFactors, itemFactors } = state;
    // Small uniform start, users then items, as implicit initialises (scaled by initScale).
    for (let i = 0; i < userFactors.length; i++) userFactors[i] = random() * p.initScale;
    for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = random() * p.initScale;
    // The main thread's kernels over the arena: its Gram matrices and finiteness checks, and its share of the rows.
    const simd = arena ? new SimdSolver(arena, k) : null;
    const pool = backend.kind === "cpu" ? await RowSolvePool.start(state, threads, simd) : null;
    try {
      for (let it = 1; it <= p.iterations; it++) {
        const started = performance.now();
        for (const side of ["users", "items"] as const) {
          // Let timers and abort events run between half-sweeps.
          await new Promise((resolve) => setImmediate(resolve));
          if (options.signal?.aborted) throw new CancelledError(`ImplicitAls.fit at iteration ${it}`);
          if (simd) {
            simd.gram(side === "users" ? "items" : "users", p.regularization);
          } else {
            const fixed = side === "users" ? itemFactors : userFactors;
            const fixedRows = side === "users" ? userItems.cols : userItems.rows;
            const g = backend.gram({ rows: fixedRows, cols: k, data: fixed });
            for (let i = 0; i < k * k; i++) state.gram[i] = g[i];
            for (let d = 0; d < k; d++) state.gram[d * k + d] += p.regularization;
          }
          if (pool) await pool.solve(side);
          else this.solveOnBackend(backend, state, side);
          checkFinite(side === "users" ? userFactors : itemFactors, k, side, it, simd?.firstNonFinite(side));
        }
        options.onIteration?.(it, p.iterations, { seconds: (performance.now() - started) / 1000, device: backend.device });
      }
    } finally {
      await pool?.close();
      backend.dispose();
    }
    // Copies out of the shared arena, so the confidence matrices inside it can be collected.
    this.setFactors({ rows: userItems.rows, cols: k, data: userFactors.slice() }, { rows: userItems.cols, cols: k, data: itemFactors.slice() });
    return this;
  }

  private solveOnBackend(backend: CfBackend, s: SharedAlsState, side: "users" | "items"): void {
    const csr = side === "users" ? s.userItems : s.itemUsers;
    const pr: RowProblem = {
      k: s.k,
      gram: s.gram,
      indptr: csr.indptr,
      indices: csr.indices,
      confidence: csr.data,
      solving: side === "users" ? s.userFactors : s.itemFactors,
      fixed: side === "users" ? s.itemFactors : s.userFactors,
    };
    if (s.solver === "cg") solveRowsBatchedCg(backend, pr, csr.rows, s.cgSteps);
    else solveRowsCholesky(pr, 0, csr.rows, new RowScratch(s.k, true));
  }

  protected override setFactors(users: DenseMatrix, items: DenseMatrix): void {
    super.setFactors(users, items);
    this.itemGram = null;
  }

  /**
   * Factors of a listener the model was not trained on, from their history (item indices and
   * interaction strengths), by the exact least-squares solve against the item factors.
   */
  recalculateUser(itemIndices: Int32Array, values: Float32Array): Float32Array {
    const items = this.itemFactors;
    const k = items.cols;
    const history = mergedHistory(itemIndices, values, items.rows);
    const conf = confidenceMatrix(history, this.params.alpha, this.params.confidence);
    if (!this.itemGram) {
      const g = cpuKernels.gram(items);
      this.itemGram = Float64Array.from(g);
      for (let d = 0; d < k; d++) this.itemGram[d * k + d] += this.params.regularization;
    }
    const out = new Float32Array(k);
    solveRowsCholesky(
      { k, solving: out, fixed: items.data, gram: this.itemGram, indptr: conf.indptr, indices: conf.indices, confidence: conf.data },
      0,
      1,
      new RowScratch(k, true),
    );
    return out;
  }

  /** Compact binary: parameters plus both factor matrices (see model-file.ts). */
  save(): Uint8Array {
    return writeModelFile("als", storableParams(this.params), [this.userFactors, this.itemFactors]);
  }

  /** A fitted model from factors trained elsewhere (Spark MLlib's ALSModel): both matrices of the same width. */
  static fromFactors(users: DenseMatrix, items: DenseMatrix, options: Partial<AlsParams> = {}): ImplicitAls {
    if (users.cols !== items.cols) throw new RangeError(`user and item factors must have the same width, got ${users.cols} and ${items.cols}`);
    const model = new ImplicitAls({ ...options, factors: users.cols });
    model.setFactors(users, items);
    return model;
  }

  static load(bytes: Uint8Array): ImplicitAls {
    const file = readModelFile(bytes, "als");
    const model = new ImplicitAls(file.params);
    const [users, items] = file.matrices;
    if (file.matrices.length !== 2 || users.cols !== model.params.factors || items.cols !== model.params.factors) {
      throw new RangeError(`ALS model file must hold two matrices of ${model.params.factors} columns`);
    }
    model.setFactors(users, items);
    return model;
  }
}

/** Throws on the first NaN or infinity of f, looking from `from` (a SIMD scan's answer, -1 for none) when given. */
function checkFinite(f: Float32Array, k: number, side: string, iteration: number, from = 0): void {
  if (from < 0) return;
  for (let i = from; i < f.length; i++) {
    if (!Number.isFinite(f[i])) {
      throw new ModelFitError(`${side} factors became ${f[i]} at iteration ${iteration} (row ${Math.floor(i / k)}); lower alpha or raise regularization`);
    }
  }
}

/**
 * One history as a 1-row CSR: indices checked against the catalogue, duplicates summed, sorted.
 */
export function mergedHistory(itemIndices: Int32Array, values: Float32Array, itemCount: number): Csr {
  if (itemIndices.length !== values.length) {
    throw new RangeError(`itemIndices and values must have equal lengths, got ${itemIndices.length} and ${values.length}`);
  }
  const sums = new Map<number, number>();
  itemIndices.forEach((i, q) => {
    if (!(i >= 0 && i < itemCount)) throw new RangeError(`itemIndices[${q}] = ${i} is outside 0..${itemCount - 1}`);
    sums.set(i, (sums.get(i) ?? 0) + values[q]);
  });
  const indices = Int32Array.from([...sums.keys()].sort((a, b) => a - b));
  const data = Float32Array.from(indices, (i) => sums.get(i)!);
  return { rows: 1, cols: itemCount, indptr: Int32Array.from([0, indices.length]), indices, data };
}
