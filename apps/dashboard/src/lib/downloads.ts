/** Files a curator can take away, made in the browser from data the page already has. */

/** Saves text or a blob under a file name, through a temporary link. */
export function saveFile(name: string, content: Blob | string, type = "text/plain"): void {
  const blob = typeof content === "string" ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A TSV field: tabs and line breaks become spaces, so every row keeps its columns. */
const field = (v: string | number | boolean | null | undefined) => (v === null || v === undefined ? "" : String(v).replace(/[\t\r\n]+/g, " "));

/** Rows under a header, tab-separated, with a final newline. */
export function toTsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return [header, ...rows].map((r) => r.map(field).join("\t")).join("\n") + "\n";
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export interface GexfNode {
  id: number;
  label: string;
  depth?: number;
  seed?: boolean;
  /** A position (the vector map's projection), written as viz:position. */
  x?: number;
  y?: number;
  /** "#rrggbb", written as viz:color. */
  colour?: string;
}

function viz(n: GexfNode): string {
  const position = n.x !== undefined && n.y !== undefined ? `<viz:position x="${n.x}" y="${n.y}" z="0"/>` : "";
  const c = n.colour && /^#[0-9a-f]{6}$/i.test(n.colour) ? [1, 3, 5].map((i) => parseInt(n.colour!.slice(i, i + 2), 16)) : null;
  return position + (c ? `<viz:color r="${c[0]}" g="${c[1]}" b="${c[2]}"/>` : "");
}

/** A graph as GEXF 1.3 (what Gephi reads): nodes with labels, depth and seed attributes and any position and colour; undirected weighted edges. */
export function toGexf(nodes: GexfNode[], edges: { source: number; target: number; score: number }[], description: string): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">`,
    `  <meta><creator>Deepcuts dashboard</creator><description>${xml(description)}</description></meta>`,
    `  <graph defaultedgetype="undirected" mode="static">`,
    `    <attributes class="node"><attribute id="depth" title="depth" type="integer"/><attribute id="seed" title="seed" type="boolean"/></attributes>`,
    `    <nodes>`,
    ...nodes.map(
      (n) =>
        `      <node id="${n.id}" label="${xml(n.label)}"><attvalues><attvalue for="depth" value="${n.depth ?? 0}"/><attvalue for="seed" value="${Boolean(n.seed)}"/></attvalues>${viz(n)}</node>`,
    ),
    `    </nodes>`,
    `    <edges>`,
    ...edges.map((e, i) => `      <edge id="${i}" source="${e.source}" target="${e.target}" weight="${e.score}"/>`),
    `    </edges>`,
    `  </graph>`,
    `</gexf>`,
  ];
  return lines.join("\n") + "\n";
}
