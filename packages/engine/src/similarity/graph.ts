import type { Database } from "@deepcuts/db";
import { invalid } from "../service-error.ts";
import { entityLabels } from "./labels.ts";
import type { EntityKindName, SimilarityModel } from "./models.ts";
import { similarEntities } from "./similar.ts";

export interface GraphNode {
  id: number;
  label: string;
  depth: number;
  seed: boolean;
}
export interface GraphEdge {
  source: number;
  target: number;
  score: number;
}
export interface SimilarityGraph {
  entity: EntityKindName;
  model: SimilarityModel;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphInput {
  entity: EntityKindName;
  seeds: number[];
  model: SimilarityModel;
  /** Neighbours per node. */
  k: number;
  /** Rings of neighbours around the seeds (0 = seeds only). */
  depth: number;
  minScore: number;
  /** Stop expanding once this many nodes are in the graph. */
  maxNodes: number;
}

export const GRAPH_LIMITS = { seeds: 20, k: 20, depth: 3, maxNodes: 500 };

export function validateGraphInput(g: GraphInput): void {
  if (g.seeds.length < 1 || g.seeds.length > GRAPH_LIMITS.seeds) throw invalid("seeds", `must list 1..${GRAPH_LIMITS.seeds} ids, got ${g.seeds.length}`);
  if (!Number.isInteger(g.k) || g.k < 1 || g.k > GRAPH_LIMITS.k) throw invalid("k", `must be 1..${GRAPH_LIMITS.k}, got ${g.k}`);
  if (!Number.isInteger(g.depth) || g.depth < 0 || g.depth > GRAPH_LIMITS.depth) throw invalid("depth", `must be 0..${GRAPH_LIMITS.depth}, got ${g.depth}`);
  if (!(g.minScore >= -1 && g.minScore <= 1)) throw invalid("minScore", `must be -1..1, got ${g.minScore}`);
  if (!Number.isInteger(g.maxNodes) || g.maxNodes < 1 || g.maxNodes > GRAPH_LIMITS.maxNodes)
    throw invalid("maxNodes", `must be 1..${GRAPH_LIMITS.maxNodes}, got ${g.maxNodes}`);
}

/**
 * Breadth-first k-nearest-neighbour graph around the seeds: each node links to its k most
 * similar entities scoring at least minScore; new nodes are expanded up to `depth` rings.
 * Edges are undirected and kept once, with the higher of the two directions' scores.
 */
export async function similarityGraph(db: Database, g: GraphInput): Promise<SimilarityGraph> {
  validateGraphInput(g);
  const depthOf = new Map<number, number>();
  const seeds = new Set(g.seeds);
  let frontier = [...seeds];
  frontier.forEach((id) => depthOf.set(id, 0));
  const edges = new Map<string, GraphEdge>();
  for (let d = 0; d < g.depth && frontier.length > 0; d++) {
    const next: number[] = [];
    for (const id of frontier) {
      // Edges carry the queried model's score only: skip scoring under the other models.
      const neighbours = await similarEntities(db, { entity: g.entity, id, model: g.model, first: g.k, scoreEveryModel: false });
      for (const n of neighbours) {
        if (n.score < g.minScore) continue;
        if (!depthOf.has(n.id)) {
          if (depthOf.size >= g.maxNodes) continue;
          depthOf.set(n.id, d + 1);
          next.push(n.id);
        }
        const [a, b] = id < n.id ? [id, n.id] : [n.id, id];
        const key = `${a}-${b}`;
        const prev = edges.get(key);
        if (!prev || prev.score < n.score) edges.set(key, { source: a, target: b, score: n.score });
      }
    }
    frontier = next;
  }
  const labels = await entityLabels(db, g.entity, [...depthOf.keys()]);
  const nodes = [...depthOf].map(([id, depth]) => ({ id, depth, seed: seeds.has(id), label: labels.get(id) ?? `${g.entity.toLowerCase()} ${id}` }));
  return { entity: g.entity, model: g.model, nodes, edges: [...edges.values()] };
}
