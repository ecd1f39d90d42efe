import type { DenseMatrix } from "../core/matrix.ts";
import { ModelFileError, readModelFile, writeModelFile, type ModelKind } from "./model-file.ts";

const KIND_CODES: Record<number, ModelKind> = { 1: "als", 2: "lmf" };

/** Rows of `m` except those in `drop` (sorted or not), as a new matrix. */
function withoutRows(m: DenseMatrix, drop: Set<number>): DenseMatrix {
  const kept = m.rows - drop.size;
  const data = new Float32Array(kept * m.cols);
  let at = 0;
  for (let r = 0; r < m.rows; r++) {
    if (drop.has(r)) continue;
    data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), at * m.cols);
    at++;
  }
  return { rows: kept, cols: m.cols, data };
}

/**
 * A saved ALS or LMF model file with some listeners' rows taken out: their user factors (and,
 * for LMF, their biases). What remains is the model the other listeners were served by, row for
 * row, so a deleted listener leaves nothing of theirs in the artifact. Rows are 0-based indices
 * into the user factor matrix; an index outside it is a RangeError.
 */
export function withoutUserRows(bytes: Uint8Array, rows: readonly number[]): Uint8Array {
  if (bytes.length < 8) throw new ModelFileError(`model file is truncated: ${bytes.length} bytes`);
  const kind = KIND_CODES[bytes[6]];
  if (!kind) throw new ModelFileError(`model file kind ${bytes[6]} has no listener rows (only ALS and LMF models do)`);
  const file = readModelFile(bytes, kind);
  const users = file.matrices[0];
  const drop = new Set(rows);
  for (const r of drop) {
    if (!Number.isInteger(r) || r < 0 || r >= users.rows) throw new RangeError(`listener row ${r} is outside the model's ${users.rows} user rows`);
  }
  const matrices = file.matrices.slice();
  matrices[0] = withoutRows(users, drop);
  // LMF: the third matrix is the user biases, one row of users.rows columns.
  if (kind === "lmf") {
    const bias = matrices[2];
    const kept = Float32Array.from(Array.from(bias.data).filter((_, r) => !drop.has(r)));
    matrices[2] = { rows: 1, cols: kept.length, data: kept };
  }
  return writeModelFile(kind, file.params, matrices);
}

/** The number of user rows in a saved ALS or LMF model file. */
export function userRowCount(bytes: Uint8Array): number {
  const kind = KIND_CODES[bytes[6]];
  if (!kind) throw new ModelFileError(`model file kind ${bytes[6]} has no listener rows (only ALS and LMF models do)`);
  return readModelFile(bytes, kind).matrices[0].rows;
}
