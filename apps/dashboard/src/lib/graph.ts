/** The similarity graph as the API returns it (SimilarityGraph without gexf). */
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

export interface GraphSettings {
  entity: "TRACK" | "ARTIST" | "USER";
  model: string;
  k: number;
  minScore: number;
}

export const GRAPH_QUERY = `query Graph($seeds: [Int!]!, $entity: EntityKind!, $model: SimilarityModel!, $k: Int!, $minScore: Float!, $depth: Int!) {
  similarityGraph(seeds: $seeds, entity: $entity, model: $model, k: $k, minScore: $minScore, depth: $depth, maxNodes: 200) {
    nodes { id label depth seed }
    edges { source target score }
  }
}`;

export const GEXF_QUERY = `query Gexf($seeds: [Int!]!, $entity: EntityKind!, $model: SimilarityModel!, $k: Int!, $minScore: Float!) {
  similarityGraph(seeds: $seeds, entity: $entity, model: $model, k: $k, minScore: $minScore, depth: 1, maxNodes: 500) { gexf }
}`;

/** Adds `extra` to a graph: nodes by id, edges by unordered pair (the best score kept). */
export function mergeGraphs(nodes: GraphNode[], edges: GraphEdge[], extra: { nodes: GraphNode[]; edges: GraphEdge[] }): { nodes: GraphNode[]; edges: GraphEdge[] } {
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
