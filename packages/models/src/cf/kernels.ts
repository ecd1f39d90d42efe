import type { DenseMatrix } from "../core/matrix.ts";

/**
 * Inputs of the batched conjugate-gradient product A_u p_u for a batch of rows u, where
 * A_u = Y^T Y + lambda I + Y^T (C_u - I) Y (Hu, Koren and Volinsky 2008, eq. 4; Takacs et al. 2011).
 */
export interface CgProductBatch {
  k: number;
  /** One direction p_u per row of the batch, batch x k row-major. */
  directions: Float32Array;
  /** Y^T Y + lambda I of the fixed side, k x k. */
  gram: Float32Array;
  /** Factors of the fixed side Y, m x k row-major. */
  fixed: Float32Array;
  /** The batch's rows of the confidence matrix, with a local indptr of batch+1 offsets. */
  indptr: Int32Array;
  indices: Int32Array;
  confidence: Float32Array;
}

/** The heavy kernels, with one signature per operation whatever runs them. */
export interface CfKernels {
  /** Y^T Y of an m x k matrix: k x k, row-major. */
  gram(factors: DenseMatrix): Float32Array;
  /** A_u p_u for every row of the batch: batch x k, row-major. */
  cgProducts(batch: CgProductBatch): Float32Array;
  /** X Y^T (+ itemBias per column): queries.rows x items.rows, row-major. */
  scores(queries: DenseMatrix, items: DenseMatrix, itemBias?: Float32Array | null): Float32Array;
}
