import { xmlText as escapeXml } from "../export/xml.ts";
import type { SimilarityGraph } from "./graph.ts";

/**
 * GEXF 1.3 (gexf.net/schema) that Gephi opens: an undirected graph with the similarity score
 * as edge weight and the ring depth and seed flag as node attributes.
 */
export function toGexf(graph: SimilarityGraph): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<gexf xmlns="http://gexf.net/1.3" version="1.3">`,
    `  <meta><creator>Deepcuts</creator><description>${escapeXml(`${graph.entity} similarity, ${graph.model} model`)}</description></meta>`,
    `  <graph mode="static" defaultedgetype="undirected">`,
    `    <attributes class="node">`,
    `      <attribute id="depth" title="depth" type="integer"/>`,
    `      <attribute id="seed" title="seed" type="boolean"/>`,
    `    </attributes>`,
    `    <nodes>`,
    ...graph.nodes.map(
      (n) =>
        `      <node id="${n.id}" label="${escapeXml(n.label)}"><attvalues><attvalue for="depth" value="${n.depth}"/><attvalue for="seed" value="${n.seed}"/></attvalues></node>`,
    ),
    `    </nodes>`,
    `    <edges>`,
    ...graph.edges.map((e, i) => `      <edge id="${i}" source="${e.source}" target="${e.target}" weight="${e.score.toFixed(6)}"/>`),
    `    </edges>`,
    `  </graph>`,
    `</gexf>`,
  ];
  return lines.join("\n") + "\n";
}
