import { encodeModel, onnxType, type OnnxNode } from "./onnx-proto.ts";

const i64 = (...values: number[]) => BigInt64Array.from(values.map(BigInt));
const reduceMax = (input: string, output: string, axis: number): OnnxNode => ({
  op: "ReduceMax",
  inputs: [input],
  outputs: [output],
  attributes: [
    { name: "axes", ints: [axis] },
    { name: "keepdims", int: 0 },
  ],
});

export interface BlockGraph {
  /** Tracks in the block, padded with zero rows to a multiple of `group`. */
  columns: number;
  groups: number;
  bytes: Uint8Array;
}

/**
 * The fused top-k graph for one block of tracks: scores = queries x itemsT (MatMul), seen as
 * [m, group, columns/group] so that group g holds tracks g, g + G, g + 2G, ...; the max of each
 * group (a reduction over the middle axis, which vectorises); TopK of the group maxima; and the
 * scores of every track of the chosen groups (GatherElements). The top `groupsKept` tracks of
 * the block are always among them; nothing of size m x columns leaves the graph.
 * Inputs: `queries` [m, dim], `kept` [1] int64 (groups kept per query, at most columns/group).
 * Outputs: `groups` [m, kept] int32, `groupMax` [m, kept], `scores` [m, group, kept].
 */
export function blockTopKGraph(itemsT: Float32Array, dim: number, columns: number, group: number): BlockGraph {
  if (columns % group !== 0) throw new RangeError(`columns must be a multiple of group = ${group}, got ${columns}`);
  const groups = columns / group;
  const F = onnxType.float,
    I = onnxType.int64;
  const bytes = encodeModel({
    name: "block_topk",
    nodes: [
      { op: "MatMul", inputs: ["queries", "itemsT"], outputs: ["s"] },
      { op: "Reshape", inputs: ["s", "grouped"], outputs: ["s3"] },
      reduceMax("s3", "max", 1),
      {
        op: "TopK",
        inputs: ["max", "kept"],
        outputs: ["groupMax", "g64"],
        attributes: [
          { name: "axis", int: 1 },
          { name: "sorted", int: 0 },
        ],
      },
      { op: "Cast", inputs: ["g64"], outputs: ["groups"], attributes: [{ name: "to", int: 6 }] },
      { op: "Unsqueeze", inputs: ["g64", "axis1"], outputs: ["g3"] },
      { op: "Expand", inputs: ["g3", "spread"], outputs: ["gAll"] },
      { op: "GatherElements", inputs: ["s3", "gAll"], outputs: ["scores"], attributes: [{ name: "axis", int: 2 }] },
    ],
    inputs: [
      { name: "queries", type: F, shape: ["m", dim] },
      { name: "kept", type: I, shape: [1] },
    ],
    outputs: [
      { name: "groups", type: 6, shape: ["m", "kept"] },
      { name: "groupMax", type: F, shape: ["m", "kept"] },
      { name: "scores", type: F, shape: ["m", group, "kept"] },
    ],
    initializers: [
      { name: "itemsT", type: F, dims: [dim, columns], data: itemsT },
      { name: "grouped", type: I, dims: [3], data: i64(0, group, groups) },
      { name: "axis1", type: I, dims: [1], data: i64(1) },
      { name: "spread", type: I, dims: [3], data: i64(1, group, 1) },
    ],
  });
  return { columns, groups, bytes };
}

/** The bound: the same product with its output reduced to one max per query (MatMul + ReduceMax). */
export function matMulReduceMaxGraph(itemsT: Float32Array, dim: number, columns: number): Uint8Array {
  const F = onnxType.float;
  return encodeModel({
    name: "matmul_reducemax",
    nodes: [{ op: "MatMul", inputs: ["queries", "itemsT"], outputs: ["s"] }, reduceMax("s", "max", 1)],
    inputs: [{ name: "queries", type: F, shape: ["m", dim] }],
    outputs: [{ name: "max", type: F, shape: ["m"] }],
    initializers: [{ name: "itemsT", type: F, dims: [dim, columns], data: itemsT }],
  });
}

/** Rows [from, to) of items (n x dim, row-major) transposed to dim x columns, zero-padded. */
export function transposeBlock(items: Float32Array, dim: number, from: number, to: number, columns: number): Float32Array {
  const out = new Float32Array(dim * columns);
  for (let i = from; i < to; i++) {
    const o = i * dim,
      c = i - from;
    for (let j = 0; j < dim; j++) out[j * columns + c] = items[o + j];
  }
  return out;
}
