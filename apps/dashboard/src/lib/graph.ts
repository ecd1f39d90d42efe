import type { EntityKind, GraphQuery, SimilarityModel } from "./generated/graphql.ts";

/** The similarity graph as the API returns it (generated from src/graphql/graph.graphql). */
export type GraphNode = GraphQuery["similarityGraph"]["nodes"][number];
export type GraphEdge = GraphQuery["similarityGraph"]["edges"][number];

export interface GraphSettings {
  entity: EntityKind;
  model: SimilarityModel;
  k: number;
  minScore: number;
}

/** Adds `extra` to a graph: nodes by id, edges by unordered pair (the best score kept). */
export function mergeGraphs(
  nodes: GraphNode[],
  edges: GraphEdge[],
  extra: { nodes: GraphNode[]; edges: GraphEdge[] },
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of extra.nodes) if (!byId.has(n.id)) byId.set(n.id, { ...n, seed: false });
  const pair = (e: GraphEdge) => (e.source < e.target ? `${e.source}-${e.target}` : `${e.target}-${e.source}`);
  const byPair = new Map(edges.map((e) => [pair(e), e]));
  for (const e of extra.edges) {
    const old = byPair.get(pair(e));
    if (!old || old.score < e.score) byPair.set(pair(e), e);
  }
  return { nodes: [...byId.values()], edges: [...byPair.values()] };
}
