import { NotFittedError } from "../core/errors.ts";
import type { Csr } from "../core/matrix.ts";
import { readModelFile, writeModelFile } from "./model-file.ts";
import { easeParams, type EaseParams } from "./params.ts";
import { recommendByScores, selectTopN, type FitOptions, type Recommendations, type RecommendOptions, type Recommender } from "./recommend.ts";
import { checkCsr } from "./signals.ts";
import { invertSpdInPlace } from "./spd-inverse.ts";
import { spdMatrix, spdPlacement } from "./wasm-spd.ts";

/**
 * EASE, a closed-form item-item model (Steck 2019, "Embarrassingly Shallow Autoencoders for
 * Sparse Data", eq. 8): with X the binary users x items matrix and P = (X^T X + lambda I)^-1,
 * B = I - P diag(1 / diag(P)), so B has a zero diagonal and a listener's score for item j is
 * sum over their items i of B[i][j]. Only items with at least `minListeners` listeners enter B
 * (a dense kept x kept matrix); the others score -Infinity, so they only pad a list.
 */
export class Ease implements Recommender {
  readonly params: EaseParams;
  private weights: Float32Array | null = null;
  /** Catalogue index of each row/column of B. */
  private kept: Int32Array | null = null;
  /** Row/column of B of each catalogue item, -1 when the item is not in B. */
  private position: Int32Array | null = null;
  private userCount = 0;

  constructor(options: Partial<EaseParams> = {}) {
    this.params = easeParams(options);
  }

  /** Catalogue indices of the items in B, ascending. */
  get keptItems(): Int32Array {
    if (!this.kept) throw new NotFittedError("Ease");
    return this.kept;
  }

  /** B, row-major over `keptItems` (row i: what item i adds to every other item's score). */
  get itemWeights(): Float32Array {
    if (!this.weights) throw new NotFittedError("Ease");
    return this.weights;
  }

  /**
   * Fits on a users x items matrix; any positive strength counts as one (binary input, as the
   * paper). `onIteration` reports the three passes of the inversion, then the B step (4 in all).
   */
  async fit(userItems: Csr, options: FitOptions = {}): Promise<this> {
    checkCsr(userItems, "userItems");
    const p = this.params;
    const listeners = new Int32Array(userItems.cols);
    const end = userItems.indptr[userItems.rows];
    for (let q = 0; q < end; q++) if (userItems.data[q] > 0) listeners[userItems.indices[q]]++;
    const position = new Int32Array(userItems.cols).fill(-1);
    let n = 0;
    for (let i = 0; i < userItems.cols; i++) if (listeners[i] >= p.minListeners) position[i] = n++;
    if (n > p.maxItems) {
      throw new RangeError(
        `EASE keeps a dense item-item matrix of at most maxItems = ${p.maxItems} items, but ${n} items have >= ${p.minListeners} listeners; raise minListeners or use ImplicitAls`,
      );
    }
    const kept = new Int32Array(n);
    for (let i = 0; i < userItems.cols; i++) if (position[i] >= 0) kept[position[i]] = i;

    let started = performance.now();
    const report = (step: number) => {
      options.onIteration?.(step, 4, { seconds: (performance.now() - started) / 1000, device });
      started = performance.now();
    };
    // G = X^T X + lambda I over the kept items, one user's co-listened pairs at a time.
    // In a WebAssembly memory where the runtime allows, so the inversion runs its kernels in place.
    const g = spdMatrix(n);
    const device = spdPlacement(g, n) ? "WebAssembly SIMD" : "typed-array CPU";
    const row = new Int32Array(userItems.cols);
    for (let u = 0; u < userItems.rows; u++) {
      let m = 0;
      for (let q = userItems.indptr[u]; q < userItems.indptr[u + 1]; q++) {
        const c = position[userItems.indices[q]];
        if (c >= 0 && userItems.data[q] > 0) row[m++] = c;
      }
      for (let x = 0; x < m; x++) {
        const base = row[x] * n;
        for (let y = 0; y < m; y++) g[base + row[y]] += 1;
      }
    }
    for (let d = 0; d < n; d++) g[d * n + d] += p.lambda;
    await invertSpdInPlace(g, n, { onPass: (pass) => report(pass), signal: options.signal, what: "Ease.fit" });
    // B[i][j] = -P[i][j] / P[j][j] off the diagonal, 0 on it.
    const weights = new Float32Array(n * n);
    const inverseDiagonal = new Float64Array(n);
    for (let j = 0; j < n; j++) inverseDiagonal[j] = -1 / g[j * n + j];
    for (let i = 0; i < n; i++) {
      const r = i * n;
      for (let j = 0; j < n; j++) weights[r + j] = g[r + j] * inverseDiagonal[j];
      weights[r + i] = 0;
    }
    this.weights = weights;
    this.kept = kept;
    this.position = position;
    this.userCount = userItems.rows;
    report(4);
    return this;
  }

  /**
   * Scores of every catalogue item for one history (rows of `userItems` from `start` to `end` in
   * its CSR arrays): -Infinity for items outside B. Writes into `out` (length: catalogue size).
   */
  scoreHistory(userItems: Csr, start: number, end: number, out: Float32Array, sum = new Float32Array(this.keptItems.length)): Float32Array {
    const weights = this.itemWeights,
      kept = this.keptItems,
      position = this.position!;
    const n = kept.length;
    sum.fill(0);
    for (let q = start; q < end; q++) {
      const i = position[userItems.indices[q]];
      if (i < 0 || !(userItems.data[q] > 0)) continue;
      const r = i * n;
      for (let j = 0; j < n; j++) sum[j] += weights[r + j];
    }
    out.fill(-Infinity);
    for (let j = 0; j < n; j++) out[kept[j]] = sum[j];
    return out;
  }

  /** Top-n items per user (see `RecommendOptions`); userItems holds their histories. */
  recommend(userIndices: Int32Array, userItems: Csr, options: RecommendOptions): Recommendations {
    const catalogue = this.position?.length;
    if (catalogue === undefined) throw new NotFittedError("Ease");
    const sum = new Float32Array(this.keptItems.length);
    const rowOf = (b: number) => (userItems.rows === userIndices.length ? b : userIndices[b]);
    // recommendByScores hands over blocks of userIndices (subarrays), so a block's first entry is found by offset.
    const score = (users: Int32Array) => {
      const first = (users.byteOffset - userIndices.byteOffset) / Int32Array.BYTES_PER_ELEMENT;
      const block = new Float32Array(users.length * catalogue);
      for (let j = 0; j < users.length; j++) {
        const r = rowOf(first + j);
        this.scoreHistory(userItems, userItems.indptr[r], userItems.indptr[r + 1], block.subarray(j * catalogue, (j + 1) * catalogue), sum);
      }
      return block;
    };
    return recommendByScores(score, userIndices, userItems, options, this.userCount, catalogue);
  }

  /**
   * The n items that item `itemIndex` raises most (row itemIndex of B), the item itself left out;
   * an item outside B gets an empty list (ids -1, scores -Infinity).
   */
  similarItems(itemIndex: number, n: number): Recommendations {
    const position = this.position;
    if (!position) throw new NotFittedError("Ease");
    if (!Number.isInteger(itemIndex) || itemIndex < 0 || itemIndex >= position.length) {
      throw new RangeError(`itemIndex must be 0..${position.length - 1}, got ${itemIndex}`);
    }
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    const ids = new Int32Array(n).fill(-1),
      scores = new Float32Array(n).fill(-Infinity);
    const i = position[itemIndex];
    if (i < 0) return { ids, scores };
    const m = this.keptItems.length;
    const row = this.itemWeights.subarray(i * m, (i + 1) * m);
    const excluded = new Uint8Array(m);
    excluded[i] = 1;
    selectTopN(row, 0, m, n, excluded, ids, scores, 0);
    for (let q = 0; q < n && ids[q] >= 0; q++) ids[q] = this.keptItems[ids[q]];
    return { ids, scores };
  }

  /** Compact binary: parameters, the kept item indices (as a 1 x n row) and B (see model-file.ts). */
  save(): Uint8Array {
    const kept = this.keptItems;
    const n = kept.length;
    return writeModelFile("ease", { ...this.params, users: this.userCount, items: this.position!.length }, [
      { rows: 1, cols: n, data: Float32Array.from(kept) },
      { rows: n, cols: n, data: this.itemWeights },
    ]);
  }

  static load(bytes: Uint8Array): Ease {
    const file = readModelFile(bytes, "ease");
    const { users, items, ...params } = file.params as Partial<EaseParams> & { users?: unknown; items?: unknown };
    const model = new Ease(params);
    const [keptRow, weights] = file.matrices;
    if (
      file.matrices.length !== 2 ||
      keptRow.rows !== 1 ||
      weights.rows !== keptRow.cols ||
      weights.cols !== keptRow.cols ||
      !Number.isInteger(users) ||
      !Number.isInteger(items) ||
      (items as number) > 1 << 24
    ) {
      throw new RangeError("EASE model file must hold the user and item counts, a 1 x n row of kept items and an n x n B");
    }
    const position = new Int32Array(items as number).fill(-1);
    const kept = Int32Array.from(keptRow.data);
    kept.forEach((item, j) => {
      if (!(item >= 0 && item < position.length)) throw new RangeError(`EASE model file keeps item ${item}, outside 0..${position.length - 1}`);
      position[item] = j;
    });
    model.kept = kept;
    model.position = position;
    model.weights = weights.data;
    model.userCount = users as number;
    return model;
  }
}
