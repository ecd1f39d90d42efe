/**
 * Download buttons for the API's server-side exports (`deepcuts export vectors|graph` over
 * HTTP): plain GET forms to the dashboard's /api/export routes, which add the session's key.
 * The browser saves the answer as a file (it comes with `content-disposition: attachment`), so
 * the page stays where it is. The vectors are a model version's stored ones, every row; the
 * graph is the most-played nodes with their k nearest neighbours, as Gephi or networkx read it.
 */

/** The stored models' names in the export routes, and the one behind each similarity model. */
const VECTOR_MODELS = ["als", "lmf", "text", "audio-features", "audio-cnn"] as const;
const FROM_SIMILARITY: Record<string, (typeof VECTOR_MODELS)[number]> = { COLLABORATIVE: "als", TEXT: "text", AUDIO: "audio-features" };
const VECTOR_FORMATS = [
  ["npy", "NumPy (.npy)"],
  ["parquet", "Parquet"],
  ["csv", "CSV"],
  ["tsv", "TSV"],
] as const;
const GRAPH_MODELS = ["collaborative", "text", "audio"] as const;

/** The export's `model` parameter, as a select of the route's model names. */
function ModelPicker({ models, picked, label }: { models: readonly string[]; picked: string; label: string }) {
  return (
    <label>
      model{" "}
      <select name="model" defaultValue={picked} aria-label={label}>
        {models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
    </label>
  );
}

export function VectorDownloads({ model }: { model: string }) {
  const picked = FROM_SIMILARITY[model] ?? "als";
  return (
    <form action="/api/export/vectors" method="get" className="toolbar" aria-label="Download stored vectors" data-testid="vector-downloads">
      <span className="muted small">Download stored vectors</span>
      <ModelPicker models={VECTOR_MODELS} picked={picked} label="Vector model" />
      <label>
        of{" "}
        <select name="entity" defaultValue="track" aria-label="Vectors of">
          <option value="track">tracks</option>
          <option value="artist">artists</option>
          <option value="user">listeners</option>
        </select>
      </label>
      {VECTOR_FORMATS.map(([format, label]) => (
        <button key={format} type="submit" name="format" value={format} className="small-button" data-testid={`export-vectors-${format}`}>
          {label}
        </button>
      ))}
      <span className="muted small">(npy: the matrix alone, rows in entity id order as in the CSV)</span>
    </form>
  );
}

export function GraphDownloads({ entity, model, k, minScore }: { entity: string; model: string; k: number; minScore: number }) {
  const pickedModel = GRAPH_MODELS.find((m) => m === model.toLowerCase()) ?? "collaborative";
  return (
    <form action="/api/export/graph" method="get" className="toolbar" aria-label="Download the similarity graph" data-testid="graph-downloads">
      <span className="muted small">Download the whole graph</span>
      <label>
        of{" "}
        <select name="entity" defaultValue={entity === "ARTIST" ? "artist" : "track"} aria-label="Graph of">
          <option value="artist">artists</option>
          <option value="track">tracks</option>
        </select>
      </label>
      <ModelPicker models={GRAPH_MODELS} picked={pickedModel} label="Graph model" />
      <label>
        nodes <input name="nodes" type="number" min={2} max={20000} defaultValue={2000} className="narrow" aria-label="Most-played nodes" />
      </label>
      <input type="hidden" name="k" value={k} />
      <input type="hidden" name="minScore" value={minScore} />
      <button type="submit" name="format" value="gexf" className="small-button" data-testid="export-graph-gexf">
        GEXF
      </button>
      <button type="submit" name="format" value="graphml" className="small-button" data-testid="export-graph-graphml">
        GraphML
      </button>
    </form>
  );
}
