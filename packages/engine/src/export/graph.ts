import type { Database } from "@deepcuts/db";
import { invalid, notReady } from "../service-error.ts";
import { activeVersionFor, loadVectorSet } from "../similarity/vector-source.ts";
import type { SingleModel } from "../similarity/models.ts";
import { entityMetadata, type EntityMetadata } from "./metadata.ts";
import { gexfLines, graphmlLines } from "./graph-xml.ts";
import { writeChunks } from "./chunks.ts";

export const GRAPH_FORMATS = ["gexf", "graphml"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];
export const GRAPH_EXPORT_LIMITS = { k: 50, nodes: 20_000 };
/** The HTTP content type of each graph format. */
export const GRAPH_CONTENT_TYPES: Record<GraphFormat, string> = {
  gexf: "application/gexf+xml; charset=utf-8",
  graphml: "application/graphml+xml; charset=utf-8",
};

export interface GraphExportInput {
  model: SingleModel;
  entity: "ARTIST" | "TRACK";
  /** Neighbours per node. */
  k: number;
  /** Edges below this cosine are left out. */
  minScore: number;
  /** The most-played entities with a vector, at most this many. */
  nodes: number;
  format: GraphFormat;
  out: string;
}

export interface ExportGraph {
  title: string;
  nodes: EntityMetadata[];
  edges: { source: number; target: number; score: number }[];
}

/**
 * Brute-force k nearest neighbours by cosine among the chosen nodes (n^2 d work: 20,000 64-d
 * nodes is 26 GFLOP, well under a minute). Edges are undirected, kept once with their score.
 */
export function nearestNeighbourEdges(ids: Int32Array, dim: number, data: Float32Array, k: number, minScore: number): ExportGraph["edges"] {
  const n = ids.length;
  const unit = new Float32Array(data);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += unit[i * dim + j] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) unit[i * dim + j] *= scale;
  }
  const edges = new Map<string, { source: number; target: number; score: number }>();
  // The k best so far, best first: a candidate replaces the worst and sinks into place.
  const bestRow = new Int32Array(k);
  const bestScore = new Float32Array(k);
  for (let i = 0; i < n; i++) {
    let found = 0;
    for (let other = 0; other < n; other++) {
      if (other === i) continue;
      let s = 0;
      for (let j = 0; j < dim; j++) s += unit[i * dim + j] * unit[other * dim + j];
      if (s < minScore || (found === k && s <= bestScore[k - 1])) continue;
      let at = found < k ? found++ : k - 1;
      while (at > 0 && bestScore[at - 1] < s) {
        bestScore[at] = bestScore[at - 1];
        bestRow[at] = bestRow[at - 1];
        at--;
      }
      bestScore[at] = s;
      bestRow[at] = other;
    }
    for (let b = 0; b < found; b++) {
      const o = bestRow[b];
      const [lo, hi] = ids[i] < ids[o] ? [ids[i], ids[o]] : [ids[o], ids[i]];
      const key = `${lo}-${hi}`;
      if (!edges.has(key)) edges.set(key, { source: lo, target: hi, score: bestScore[b] });
    }
  }
  return [...edges.values()];
}

/**
 * The similarity graph of a model's artists or tracks, for Gephi, Cytoscape or networkx: the
 * most-played entities with a vector as nodes (label, artist, genre, play count, external key)
 * and each node's k most similar as weighted edges.
 */
export async function buildExportGraph(db: Database, input: Omit<GraphExportInput, "format" | "out">): Promise<ExportGraph> {
  if (!Number.isInteger(input.k) || input.k < 1 || input.k > GRAPH_EXPORT_LIMITS.k) throw invalid("k", `must be 1..${GRAPH_EXPORT_LIMITS.k}, got ${input.k}`);
  if (!Number.isInteger(input.nodes) || input.nodes < 2 || input.nodes > GRAPH_EXPORT_LIMITS.nodes)
    throw invalid("nodes", `must be 2..${GRAPH_EXPORT_LIMITS.nodes}, got ${input.nodes}`);
  if (!(input.minScore >= -1 && input.minScore <= 1)) throw invalid("minScore", `must be -1..1, got ${input.minScore}`);
  const version = await activeVersionFor(db, input.model);
  if (!version) throw notReady(`no active ${input.model.toLowerCase()} model: train one first`);
  const loaded = await loadVectorSet(db, version.id, input.entity);
  if (!loaded) throw notReady(`the ${input.model.toLowerCase()} model has no ${input.entity.toLowerCase()} vectors`);
  const { set } = loaded;
  const meta = await entityMetadata(db, input.entity, set.ids);
  const rows = Array.from({ length: set.ids.length }, (_, r) => r)
    .filter((r) => meta.has(set.ids[r]))
    .sort((a, b) => meta.get(set.ids[b])!.plays - meta.get(set.ids[a])!.plays || set.ids[a] - set.ids[b])
    .slice(0, input.nodes)
    .sort((a, b) => set.ids[a] - set.ids[b]);
  const ids = Int32Array.from(rows, (r) => set.ids[r]);
  const data = new Float32Array(rows.length * set.dim);
  rows.forEach((r, i) => data.set(set.data.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim));
  return {
    title: `${input.entity.toLowerCase()} similarity, ${input.model.toLowerCase()} model (version ${version.id}, ${version.kind})`,
    nodes: Array.from(ids, (id) => meta.get(id)!),
    edges: nearestNeighbourEdges(ids, set.dim, data, input.k, input.minScore),
  };
}

/** A built graph as GEXF or GraphML, one line (with its newline) at a time. */
export function* graphFileLines(graph: ExportGraph, format: GraphFormat): Generator<string> {
  for (const line of format === "gexf" ? gexfLines(graph) : graphmlLines(graph)) yield `${line}\n`;
}

/** Builds the graph and streams it to `out` as GEXF or GraphML. */
export async function exportGraph(db: Database, input: GraphExportInput): Promise<{ nodes: number; edges: number; file: string }> {
  const graph = await buildExportGraph(db, input);
  await writeChunks(input.out, graphFileLines(graph, input.format));
  return { nodes: graph.nodes.length, edges: graph.edges.length, file: input.out };
}
