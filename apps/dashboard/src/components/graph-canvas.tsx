"use client";

import dynamic from "next/dynamic";
import { useMemo, useRef, useState } from "react";
import { browserGql, BrowserApiError } from "../lib/browser-graphql.ts";
import { GexfDocument, GraphDocument, type GexfQuery, type GexfVariables, type GraphQuery, type GraphVariables } from "../lib/generated/graphql.ts";
import { mergeGraphs, type GraphEdge, type GraphNode, type GraphSettings } from "../lib/graph.ts";

// The force layout draws on a canvas and touches `window` on import: browser only.
const ForceGraph2D = dynamic(() => import("react-force-graph-2d"), { ssr: false, loading: () => <div className="skeleton graph-skeleton" /> });

// The API takes at most 20 seeds per request, so GEXF export covers the first 20 expansions.
const MAX_SEEDS = 20;

/**
 * The similarity graph in a force layout. Clicking a node (or its button in the list, for the
 * keyboard) asks the API for that node's neighbours and merges them in.
 */
export function GraphCanvas({ initial, settings, seed }: { initial: { nodes: GraphNode[]; edges: GraphEdge[] }; settings: GraphSettings; seed: number }) {
  const [graph, setGraph] = useState(initial);
  const [expanded, setExpanded] = useState<number[]>([seed]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Node objects keep their identity across merges so the layout does not restart from scratch.
  const nodeObjects = useRef(new Map<number, GraphNode & { x?: number; y?: number }>());
  const graphData = useMemo(() => {
    const nodes = graph.nodes.map((n) => {
      const existing = nodeObjects.current.get(n.id);
      if (existing) return Object.assign(existing, { seed: expanded.includes(n.id) });
      const created = { ...n };
      nodeObjects.current.set(n.id, created);
      return created;
    });
    return { nodes, links: graph.edges.map((e) => ({ source: e.source, target: e.target, score: e.score })) };
  }, [graph, expanded]);

  async function expand(id: number) {
    if (expanded.includes(id) || busy) return;
    setBusy(true);
    setError(null);
    try {
      const data = await browserGql<GraphQuery>(GraphDocument, { ...settings, seeds: [id], depth: 1 } satisfies GraphVariables);
      setGraph((g) => mergeGraphs(g.nodes, g.edges, data.similarityGraph));
      setExpanded((e) => [...e, id]);
    } catch (e) {
      setError(e instanceof BrowserApiError ? `${e.code}: ${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function exportGexf() {
    setError(null);
    try {
      const data = await browserGql<GexfQuery>(GexfDocument, { ...settings, seeds: expanded.slice(0, MAX_SEEDS) } satisfies GexfVariables);
      const url = URL.createObjectURL(new Blob([data.similarityGraph.gexf], { type: "application/gexf+xml" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `deepcuts-${settings.entity.toLowerCase()}-${settings.model.toLowerCase()}-${seed}.gexf`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e instanceof BrowserApiError ? `${e.code}: ${e.message}` : String(e));
    }
  }

  const labels = new Map(graph.nodes.map((n) => [n.id, n.label]));
  return (
    <div className="graph" data-testid="graph" data-nodes={graph.nodes.length} data-edges={graph.edges.length} data-expanded={expanded.length} aria-busy={busy}>
      <div className="graph-canvas">
        <ForceGraph2D
          graphData={graphData}
          width={720}
          height={480}
          backgroundColor="#ffffff"
          nodeLabel={(n) => (n as GraphNode).label}
          nodeColor={(n) => ((n as GraphNode).seed ? "#c2418a" : "#1f6f5c")}
          nodeVal={(n) => ((n as GraphNode).seed ? 4 : 1.5)}
          linkColor={() => "#c9ced6"}
          linkWidth={(l) => 0.5 + 2 * Math.max(0, (l as { score: number }).score)}
          onNodeClick={(n) => void expand((n as GraphNode).id)}
          cooldownTicks={120}
        />
      </div>
      <aside className="graph-side">
        <p className="small">
          {graph.nodes.length} nodes, {graph.edges.length} edges; {expanded.length} expanded. {busy ? "Expanding…" : "Click a node to expand it."}
        </p>
        {error ? <p className="error small" role="alert">{error}</p> : null}
        <button type="button" onClick={() => void exportGexf()} data-testid="export-gexf">
          Export GEXF
        </button>
        <ul className="node-list">
          {graph.nodes.map((n) => (
            <li key={n.id}>
              {expanded.includes(n.id) ? (
                <span className="expanded">{labels.get(n.id)}</span>
              ) : (
                <button type="button" className="link-button" onClick={() => void expand(n.id)} data-node-id={n.id} disabled={busy}>
                  {n.label}
                </button>
              )}
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
