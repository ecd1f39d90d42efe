import { describe, expect, it } from "vitest";
import { NotFittedError } from "../core/errors.ts";
import type { Csr } from "../core/matrix.ts";
import { csrFromTriples } from "../core/matrix.ts";
import { ModelFileError } from "./model-file.ts";
import type { Recommendations, Recommender } from "./recommend.ts";

/** What every model in this folder offers; factor models add similarity and fold-in. */
export interface SuiteModel extends Recommender {
  fit(userItems: Csr): Promise<unknown>;
  save(): Uint8Array;
  similarItems?(itemIndex: number, n: number): Recommendations;
  similarUsers?(userIndex: number, n: number): Recommendations;
  recalculateUser?(itemIndices: Int32Array, values: Float32Array): Float32Array;
  itemFactors?: { rows: number; cols: number; data: Float32Array };
}

/** Users x items of the checkerboard: u likes i when u + i is even, but for one dropped item. */
export const boardSize = 20;

/** The item user u would like but has not heard: the known right answer for u. */
export function droppedItem(u: number): number {
  return 2 * ((u * 7) % (boardSize / 2)) + (u % 2);
}

/**
 * The checkerboard fixture (as implicit's recommender test mixin uses): two taste groups by
 * parity, each user missing one item of their group. Adds one user and one item with no entries.
 */
export function checkerboard(): Csr {
  const rows: number[] = [],
    cols: number[] = [],
    values: number[] = [];
  for (let u = 0; u < boardSize; u++) {
    for (let i = 0; i < boardSize; i++) {
      if ((u + i) % 2 === 0 && i !== droppedItem(u)) {
        rows.push(u);
        cols.push(i);
        values.push(3 + ((u * i) % 4));
      }
    }
  }
  return csrFromTriples(boardSize + 1, boardSize + 1, {
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    values: Float32Array.from(values),
  });
}

function historyOf(m: Csr, u: number): Set<number> {
  return new Set(m.indices.subarray(m.indptr[u], m.indptr[u + 1]));
}

/**
 * The shared suite: `learnsTaste` models must find each user's dropped item; every model must
 * filter, pad, handle empty rows, reject unknown ids, and survive save/load.
 */
export function recommenderSuite(
  name: string,
  create: () => SuiteModel,
  load: (bytes: Uint8Array) => SuiteModel,
  options: { learnsTaste: boolean; userFactors?: boolean },
): void {
  // Item-item models (EASE) have no user factors: no similarUsers and no fold-in to test.
  const userFactors = options.userFactors ?? true;
  describe(`${name} (shared recommender suite)`, () => {
    const board = checkerboard();
    const users = Int32Array.from({ length: boardSize }, (_, u) => u);
    let model: SuiteModel;
    const fitted = async () => {
      if (!model) {
        model = create();
        await model.fit(board);
      }
      return model;
    };

    it("refuses to recommend before fit", () => {
      expect(() => create().recommend(users, board, { n: 1 })).toThrow(NotFittedError);
    });

    it(options.learnsTaste ? "recommends each user's dropped item first" : "recommends the most popular unheard item first", async () => {
      const m = await fitted();
      const rec = m.recommend(users, board, { n: 1 });
      for (let u = 0; u < boardSize; u++) {
        if (options.learnsTaste) {
          expect(rec.ids[u], `user ${u}`).toBe(droppedItem(u));
        } else {
          const heard = historyOf(board, u);
          const counts = Array.from({ length: board.cols }, (_, i) => (heard.has(i) ? -1 : board.indices.filter((j) => j === i).length));
          expect(rec.ids[u], `user ${u}`).toBe(counts.indexOf(Math.max(...counts)));
        }
      }
    });

    it("never recommends heard or filtered items, best first, padded with -1", async () => {
      const m = await fitted();
      const n = board.cols + 3;
      const filterItems = Int32Array.from([1, 2]);
      const rec = m.recommend(users, board, { n, filterItems });
      for (let u = 0; u < boardSize; u++) {
        const heard = historyOf(board, u);
        const ids = Array.from(rec.ids.subarray(u * n, (u + 1) * n));
        const scores = Array.from(rec.scores.subarray(u * n, (u + 1) * n));
        const valid = ids.filter((i) => i >= 0);
        const expected = board.cols - heard.size - [1, 2].filter((i) => !heard.has(i)).length;
        expect(valid.length).toBe(expected);
        expect(new Set(valid).size).toBe(valid.length);
        for (const i of valid) expect(heard.has(i) || i === 1 || i === 2).toBe(false);
        expect(ids.slice(expected).every((i) => i === -1)).toBe(true);
        expect(scores.slice(expected).every((s) => s === -Infinity)).toBe(true);
        for (let j = 1; j < expected; j++) expect(scores[j]).toBeLessThanOrEqual(scores[j - 1]);
      }
    });

    it("keeps heard items when filterLiked is false, and takes one history row per user", async () => {
      const m = await fitted();
      const rows: Csr = { rows: 1, cols: board.cols, indptr: Int32Array.from([0, 0]), indices: new Int32Array(0), data: new Float32Array(0) };
      const rec = m.recommend(Int32Array.from([3]), rows, { n: board.cols, filterLiked: false });
      expect(Array.from(rec.ids).filter((i) => i >= 0).length).toBe(board.cols);
    });

    it("gives the empty user a full finite list and the empty item finite factors", async () => {
      const m = await fitted();
      const rec = m.recommend(Int32Array.from([boardSize]), board, { n: 5 });
      expect(Array.from(rec.ids).every((i) => i >= 0)).toBe(true);
      expect(Array.from(rec.scores).every(Number.isFinite)).toBe(true);
      if (m.itemFactors) expect(m.itemFactors.data.every(Number.isFinite)).toBe(true);
    });

    it("rejects unknown user and item indices with the index in the message", async () => {
      const m = await fitted();
      expect(() => m.recommend(Int32Array.from([0, board.rows]), board, { n: 3 })).toThrow(/userIndices\[1\] = 21 is outside 0..20/);
      expect(() => m.recommend(Int32Array.from([-1]), board, { n: 3 })).toThrow(RangeError);
      expect(() => m.recommend(users, board, { n: 3, filterItems: Int32Array.from([99]) })).toThrow(/filterItems holds 99/);
      if (m.similarItems) expect(() => m.similarItems!(board.cols, 3)).toThrow(/itemIndex must be 0..20, got 21/);
      if (m.similarUsers) expect(() => m.similarUsers!(-2, 3)).toThrow(/userIndex must be 0..20, got -2/);
      if (m.recalculateUser) {
        expect(() => m.recalculateUser!(Int32Array.from([0, 500]), Float32Array.from([1, 1]))).toThrow(/itemIndices\[1\] = 500/);
      }
    });

    if (options.learnsTaste) {
      it("finds items and users of the same taste group as most similar", async () => {
        const m = await fitted();
        for (const index of [0, 5, 12]) {
          const items = m.similarItems!(index, 5);
          expect(Array.from(items.ids).every((i) => i % 2 === index % 2 && i !== index)).toBe(true);
          if (!userFactors) continue;
          const similar = m.similarUsers!(index, 5);
          expect(Array.from(similar.ids).every((u) => u % 2 === index % 2 && u !== index)).toBe(true);
        }
      });

      it.skipIf(!userFactors)("folds in an unseen listener whose best new item is their group's missing one", async () => {
        const m = await fitted();
        const u = 7;
        const heard = board.indices.slice(board.indptr[u], board.indptr[u + 1]);
        const factors = m.recalculateUser!(heard, board.data.slice(board.indptr[u], board.indptr[u + 1]));
        expect(factors.length).toBe(m.itemFactors!.cols);
        const k = factors.length;
        let best = -1,
          bestScore = -Infinity;
        for (let i = 0; i < m.itemFactors!.rows; i++) {
          if (heard.includes(i)) continue;
          let s = 0;
          for (let b = 0; b < k; b++) s += factors[b] * m.itemFactors!.data[i * k + b];
          if (s > bestScore) {
            bestScore = s;
            best = i;
          }
        }
        expect(best).toBe(droppedItem(u));
      });
    }

    it("saves to a compact file that loads back to the same recommendations", async () => {
      const m = await fitted();
      const bytes = m.save();
      const back = load(bytes);
      const a = m.recommend(users, board, { n: 5 }),
        b = back.recommend(users, board, { n: 5 });
      expect(Array.from(b.ids)).toEqual(Array.from(a.ids));
      expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
      expect(() => load(bytes.subarray(0, bytes.length - 9))).toThrow(ModelFileError);
      const corrupt = bytes.slice();
      corrupt[corrupt.length - 20] ^= 0x55;
      expect(() => load(corrupt)).toThrow(/corrupt/);
      expect(() => load(new TextEncoder().encode("PK\u0003\u0004 not a model file at all"))).toThrow(/magic/);
    });
  });
}
