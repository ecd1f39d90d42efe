/** Row-major dense matrix of float32 values. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** Compressed sparse rows: row r holds indices[indptr[r] .. indptr[r+1]) with their values. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

export function denseMatrix(rows: number, cols: number, data?: Float32Array): DenseMatrix {
  const size = rows * cols;
  if (data && data.length !== size) {
    throw new RangeError(`matrix data must have rows*cols = ${size} values, got ${data.length}`);
  }
  return { rows, cols, data: data ?? new Float32Array(size) };
}

export function row(m: DenseMatrix, r: number): Float32Array {
  return m.data.subarray(r * m.cols, (r + 1) * m.cols);
}

/** A (row, col, value) triple list; duplicates are summed when converted to CSR. */
export interface Triples {
  rows: Int32Array;
  cols: Int32Array;
  values: Float32Array;
}

/** Builds CSR from coordinates, summing duplicates and sorting each row by column. */
export function csrFromTriples(nRows: number, nCols: number, t: Triples): Csr {
  const n = t.rows.length;
  if (t.cols.length !== n || t.values.length !== n) {
    throw new RangeError(`triples must have equal lengths, got ${n}, ${t.cols.length}, ${t.values.length}`);
  }
  const counts = new Int32Array(nRows + 1);
  for (let k = 0; k < n; k++) {
    const r = t.rows[k],
      c = t.cols[k];
    if (r < 0 || r >= nRows) throw new RangeError(`row index ${r} at triple ${k} is outside 0..${nRows - 1}`);
    if (c < 0 || c >= nCols) throw new RangeError(`column index ${c} at triple ${k} is outside 0..${nCols - 1}`);
    counts[r + 1]++;
  }
  for (let r = 0; r < nRows; r++) counts[r + 1] += counts[r];
  const fill = counts.slice(0, nRows);
  const cols = new Int32Array(n);
  const vals = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const at = fill[t.rows[k]]++;
    cols[at] = t.cols[k];
    vals[at] = t.values[k];
  }
  // Sort each row by column and merge duplicates.
  const indptr = new Int32Array(nRows + 1);
  let out = 0;
  for (let r = 0; r < nRows; r++) {
    const start = counts[r],
      end = counts[r + 1];
    const order = Array.from({ length: end - start }, (_, i) => start + i).sort((a, b) => cols[a] - cols[b]);
    const rowCols = order.map((i) => cols[i]);
    const rowVals = order.map((i) => vals[i]);
    for (let i = 0; i < rowCols.length; i++) {
      if (i > 0 && rowCols[i] === rowCols[i - 1]) {
        vals[out - 1] += rowVals[i];
      } else {
        cols[out] = rowCols[i];
        vals[out] = rowVals[i];
        out++;
      }
    }
    indptr[r + 1] = out;
  }
  return { rows: nRows, cols: nCols, indptr, indices: cols.slice(0, out), data: vals.slice(0, out) };
}

/** Transpose of a CSR matrix (item-user from user-item), rows sorted by column. */
export function transposeCsr(m: Csr): Csr {
  const counts = new Int32Array(m.cols + 1);
  for (let k = 0; k < m.indices.length; k++) counts[m.indices[k] + 1]++;
  for (let c = 0; c < m.cols; c++) counts[c + 1] += counts[c];
  const fill = counts.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const data = new Float32Array(m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      const at = fill[m.indices[k]]++;
      indices[at] = r;
      data[at] = m.data[k];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr: counts, indices, data };
}

/** The same matrix keeping only the stored entries `keep(column, position)` accepts (position: index into indices/data). */
export function filterCsr(m: Csr, keep: (column: number, position: number) => boolean): Csr {
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(m.indices.length);
  const data = new Float32Array(m.indices.length);
  let out = 0;
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      if (!keep(m.indices[k], k)) continue;
      indices[out] = m.indices[k];
      data[out++] = m.data[k];
    }
    indptr[r + 1] = out;
  }
  return { rows: m.rows, cols: m.cols, indptr, indices: indices.slice(0, out), data: data.slice(0, out) };
}

export function nnz(m: Csr): number {
  return m.indptr[m.rows];
}
