"use client";

import dynamic from "next/dynamic";
import { useMemo, useRef, useState } from "react";
import { browserGql, BrowserApiError } from "../lib/browser-graphql.ts";
import { saveFile, toGexf, toTsv } from "../lib/downloads.ts";
import { GraphDocument, type GraphQuery, type GraphQueryVariables } from "../lib/generated/graphql.ts";
import { mergeGraphs, type GraphEdge, type GraphNode, type GraphSettings } from "../lib/graph.ts";

// The force layout draws on a canvas and touches `window` on import: browser only.
const ForceGraph2D = dynamic(() => import("react-force-graph-2d"), { ssr: false, loading: () => <div className="skeleton graph-skeleton" /> });

/**
 * The similarity graph in a force layout. Clicking a node, or choosing it in the node list (one
 * tab stop: arrow keys move, Enter expands), asks the API for its neighbours and merges them in.
 * GEXF, TSV and PNG downloads are made here from the graph as drawn.
 */
export function GraphCanvas({ initial, settings, seed }: { initial: { nodes: GraphNode[]; edges: GraphEdge[] }; settings: GraphSettings; seed: number }) {
  const [graph, setGraph] = useState(initial);
  const [expanded, setExpanded] = useState<number[]>([seed]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const container = useRef<HTMLDivElement>(null);
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
      const data = await browserGql<GraphQuery>(GraphDocument, { ...settings, seeds: [id], depth: 1 } satisfies GraphQueryVariables);
      setGraph((g) => mergeGraphs(g.nodes, g.edges, data.similarityGraph));
      setExpanded((e) => [...e, id]);
    } catch (e) {
      setError(e instanceof BrowserApiError ? `${e.code}: ${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  }

  const stem = `deepcuts-${settings.entity.toLowerCase()}-${settings.model.toLowerCase()}-${seed}`;
  function download(kind: "gexf" | "tsv" | "png") {
    setError(null);
    if (kind === "gexf") {
      const nodes = graph.nodes.map((n) => ({ ...n, seed: expanded.includes(n.id) }));
      saveFile(
        `${stem}.gexf`,
        toGexf(
          nodes,
          graph.edges,
          `${settings.entity.toLowerCase()} similarity (${settings.model.toLowerCase()}, k ${settings.k}, min score ${settings.minScore}) around ${seed}`,
        ),
        "application/gexf+xml",
      );
    } else if (kind === "tsv") {
      const rows = graph.edges.map((e) => [e.source, labels.get(e.source), e.target, labels.get(e.target), e.score]);
      saveFile(`${stem}-edges.tsv`, toTsv(["source", "source_label", "target", "target_label", "score"], rows), "text/tab-separated-values");
    } else {
      const canvas = container.current?.querySelector("canvas");
      if (!canvas) return setError("the graph is not drawn yet");
      canvas.toBlob((blob) => blob && saveFile(`${stem}.png`, blob), "image/png");
    }
  }

  function onListKey(e: React.KeyboardEvent<HTMLUListElement>) {
    const last = graph.nodes.length - 1;
    const next = { ArrowDown: active + 1, ArrowRight: active + 1, ArrowUp: active - 1, ArrowLeft: active - 1, Home: 0, End: last }[e.key];
    if (next !== undefined) {
      e.preventDefault();
      const to = Math.max(0, Math.min(last, next));
      setActive(to);
      document.getElementById(`graph-node-${graph.nodes[to].id}`)?.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      void expand(graph.nodes[active].id);
    }
  }

  const labels = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const activeNode = graph.nodes[Math.min(active, graph.nodes.length - 1)];
  return (
    <div className="graph" data-testid="graph" data-nodes={graph.nodes.length} data-edges={graph.edges.length} data-expanded={expanded.length} aria-busy={busy}>
      <div className="graph-canvas" ref={container}>
        <ForceGraph2D
          graphData={graphData}
          width={720}
          height={480}
          backgroundColor="#ffffff"
          nodeLabel={(n) => (n as GraphNode).label}
          nodeColor={(n) => ((n as GraphNode).id === activeNode?.id ? "#d9822b" : (n as GraphNode).seed ? "#c2418a" : "#1f6f5c")}
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
        {error ? (
          <p className="error small" role="alert">
            {error}
          </p>
        ) : null}
        <p className="downloads">
          <button type="button" className="small-button" onClick={() => download("gexf")} data-testid="export-gexf">
            GEXF
          </button>{" "}
          <button type="button" className="small-button" onClick={() => download("tsv")} data-testid="export-tsv">
            TSV
          </button>{" "}
          <button type="button" className="small-button" onClick={() => download("png")} data-testid="export-png">
            PNG
          </button>
        </p>
        <p className="small muted" id="node-list-help">
          Nodes: arrow keys move, Enter expands.
        </p>
        <ul
          className="node-list"
          role="listbox"
          tabIndex={0}
          aria-label="Nodes of the graph"
          aria-describedby="node-list-help"
          aria-activedescendant={activeNode ? `graph-node-${activeNode.id}` : undefined}
          onKeyDown={onListKey}
          data-testid="node-list"
        >
          {graph.nodes.map((n, i) => (
            <li
              key={n.id}
              id={`graph-node-${n.id}`}
              role="option"
              aria-selected={i === active}
              data-node-id={n.id}
              data-expanded={expanded.includes(n.id)}
              className={`${expanded.includes(n.id) ? "expanded" : ""} ${i === active ? "active" : ""}`}
              onClick={() => {
                setActive(i);
                void expand(n.id);
              }}
            >
              {n.label}
              {expanded.includes(n.id) ? <span className="muted small"> expanded</span> : null}
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
