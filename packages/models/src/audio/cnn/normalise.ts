import { denseMatrix, type DenseMatrix } from "../../core/index.ts";

/** Copy of m with every non-zero row scaled to unit length (zero rows stay zero). */
export function l2NormaliseRows(m: DenseMatrix): DenseMatrix {
  const out = denseMatrix(m.rows, m.cols, m.data.slice());
  for (let r = 0; r < m.rows; r++) {
    let norm = 0;
    for (let c = r * m.cols; c < (r + 1) * m.cols; c++) norm += out.data[c] * out.data[c];
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let c = r * m.cols; c < (r + 1) * m.cols; c++) out.data[c] *= scale;
    }
  }
  return out;
}
