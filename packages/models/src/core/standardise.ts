import { denseMatrix, type DenseMatrix } from "./matrix.ts";

/** Per-column mean and standard deviation of a catalogue's vectors (population, float64 sums). */
export interface ColumnStats {
  mean: number[];
  std: number[];
}

/** The mean and standard deviation of each column of `m` (a column with one row has std 0). */
export function columnStats(m: DenseMatrix): ColumnStats {
  const mean = new Array<number>(m.cols).fill(0);
  const std = new Array<number>(m.cols).fill(0);
  if (m.rows === 0) return { mean, std };
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) mean[c] += m.data[r * m.cols + c];
  for (let c = 0; c < m.cols; c++) mean[c] /= m.rows;
  for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.cols; c++) std[c] += (m.data[r * m.cols + c] - mean[c]) ** 2;
  for (let c = 0; c < m.cols; c++) std[c] = Math.sqrt(std[c] / m.rows);
  return { mean, std };
}

/** Names what is wrong with stored statistics before they are applied to `cols` columns. */
export function assertColumnStats(stats: ColumnStats, cols: number): void {
  if (!Array.isArray(stats.mean) || !Array.isArray(stats.std)) throw new TypeError("column stats need mean and std arrays");
  if (stats.mean.length !== cols || stats.std.length !== cols) {
    throw new RangeError(`column stats have ${stats.mean.length} means and ${stats.std.length} deviations for ${cols} columns`);
  }
  stats.mean.forEach((v, c) => {
    if (!Number.isFinite(v)) throw new RangeError(`column stats mean[${c}] must be finite, got ${v}`);
  });
  stats.std.forEach((v, c) => {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`column stats std[${c}] must be finite and >= 0, got ${v}`);
  });
}

/**
 * z-scores of every column: (x - mean) / std, with a constant column (std ~ 0) set to 0 so it
 * carries no weight. Cosine on the result is the correlation of two rows' deviations from the
 * catalogue's average, which spreads vectors that all point the same way.
 */
export function standardiseColumns(m: DenseMatrix, stats: ColumnStats = columnStats(m)): DenseMatrix {
  assertColumnStats(stats, m.cols);
  const out = denseMatrix(m.rows, m.cols);
  const inv = stats.std.map((s) => (s > 1e-9 ? 1 / s : 0));
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) out.data[r * m.cols + c] = (m.data[r * m.cols + c] - stats.mean[c]) * inv[c];
  }
  return out;
}
