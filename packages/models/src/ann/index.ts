export * from "./vectors.ts";
export * from "./neighbour-index.ts";
export { ExactIndex } from "./exact.ts";
export { HnswIndex, type HnswOptions } from "./hnsw.ts";
export { measureRecall, measureRecallAsync, type RecallReport } from "./recall.ts";
export { buildHnswAsync, buildNeighbourIndex, type BuildIndexOptions, type BuiltIndex } from "./build.ts";
