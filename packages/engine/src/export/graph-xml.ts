import type { EntityMetadata } from "./metadata.ts";
import type { ExportGraph } from "./graph.ts";
import { xmlText } from "./xml.ts";

const NODE_ATTRIBUTES = [
  { id: "artist", type: "string", value: (n: EntityMetadata) => n.artist },
  { id: "genre", type: "string", value: (n: EntityMetadata) => n.genre },
  { id: "plays", type: "double", value: (n: EntityMetadata) => n.plays },
  { id: "external_key", type: "string", value: (n: EntityMetadata) => n.externalKey },
] as const;

/** GEXF 1.3 (gexf.net/schema): nodes with attvalues for declared attributes, weighted undirected edges. */
export function* gexfLines(graph: ExportGraph): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>`;
  yield `<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">`;
  yield `  <meta><creator>Deepcuts</creator><description>${xmlText(graph.title)}</description></meta>`;
  yield `  <graph mode="static" defaultedgetype="undirected">`;
  yield `    <attributes class="node">`;
  for (const a of NODE_ATTRIBUTES) yield `      <attribute id="${a.id}" title="${a.id}" type="${a.type}"/>`;
  yield `    </attributes>`;
  yield `    <nodes>`;
  for (const n of graph.nodes) {
    const values = NODE_ATTRIBUTES.map((a) => [a.id, a.value(n)] as const)
      .filter(([, v]) => v !== null)
      .map(([id, v]) => `<attvalue for="${id}" value="${xmlText(String(v))}"/>`)
      .join("");
    yield `      <node id="${n.id}" label="${xmlText(n.name)}"><attvalues>${values}</attvalues></node>`;
  }
  yield `    </nodes>`;
  yield `    <edges>`;
  for (const [i, e] of graph.edges.entries()) yield `      <edge id="${i}" source="${e.source}" target="${e.target}" weight="${e.score.toFixed(6)}"/>`;
  yield `    </edges>`;
  yield `  </graph>`;
  yield `</gexf>`;
}

/** GraphML (graphml.graphdrawing.org): keys declared for node label and attributes and the edge weight. */
export function* graphmlLines(graph: ExportGraph): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>`;
  yield `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`;
  yield `  <key id="label" for="node" attr.name="label" attr.type="string"/>`;
  for (const a of NODE_ATTRIBUTES) yield `  <key id="${a.id}" for="node" attr.name="${a.id}" attr.type="${a.type}"/>`;
  yield `  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>`;
  yield `  <graph id="G" edgedefault="undirected">`;
  yield `    <desc>${xmlText(graph.title)}</desc>`;
  for (const n of graph.nodes) {
    const values = [["label", n.name] as const, ...NODE_ATTRIBUTES.map((a) => [a.id, a.value(n)] as const)]
      .filter(([, v]) => v !== null)
      .map(([id, v]) => `<data key="${id}">${xmlText(String(v))}</data>`)
      .join("");
    yield `    <node id="n${n.id}">${values}</node>`;
  }
  for (const [i, e] of graph.edges.entries())
    yield `    <edge id="e${i}" source="n${e.source}" target="n${e.target}"><data key="weight">${e.score.toFixed(6)}</data></edge>`;
  yield `  </graph>`;
  yield `</graphml>`;
}
