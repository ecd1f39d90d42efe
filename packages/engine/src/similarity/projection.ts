import type { Database } from "@deepcuts/db";
import { PCA } from "ml-pca";
import { UMAP } from "umap-js";
import { seededRandom, shuffle } from "@deepcuts/models/core";
import { invalid } from "../service-error.ts";
import { indexCacheFor, type ServedIndex } from "./index-cache.ts";
import { entityGenres, entityLabels } from "./labels.ts";
import { pointAttributes, type PointAttributes } from "./point-attributes.ts";
import type { EntityKindName, SimilarityModel, SingleModel } from "./models.ts";

export type ProjectionMethod = "PCA" | "UMAP";
export const PROJECTION_LIMITS = { PCA: 5000, UMAP: 1000 } as const;

export interface ProjectedPoint extends PointAttributes {
  id: number;
  label: string;
  genre: string | null;
  x: number;
  y: number;
}
export interface Projection {
  entity: EntityKindName;
  model: SingleModel;
  method: ProjectionMethod;
  versionId: number;
  points: ProjectedPoint[];
  /** PCA: the share of variance the two axes explain; null for UMAP. */
  explainedVariance: number[] | null;
}

function singleModel(model: SimilarityModel): SingleModel {
  if (model === "BLEND") throw invalid("model", "BLEND has no vectors of its own; pick COLLABORATIVE, TEXT or AUDIO");
  return model;
}

/** A seeded sample of rows (the same sample for the same seed and catalogue). */
async function sampleRows(db: Database, input: { entity: EntityKindName; model: SimilarityModel; sample: number; seed: number }, max: number) {
  const model = singleModel(input.model);
  if (!Number.isInteger(input.sample) || input.sample < 3 || input.sample > max) throw invalid("sample", `must be 3..${max}, got ${input.sample}`);
  const served: ServedIndex = await indexCacheFor(db).get(model, input.entity);
  const rows = Int32Array.from({ length: served.index.size }, (_, i) => i);
  shuffle(rows, seededRandom(input.seed));
  const chosen = Array.from(rows.subarray(0, Math.min(input.sample, rows.length))).sort((a, b) => a - b);
  return { model, served, chosen, ids: chosen.map((r) => served.index.idAt(r)) };
}

/** Vectors of a sample projected to 2-D with PCA or UMAP (umap-js), for the dashboard's map. */
export async function vectorProjection(
  db: Database,
  input: { entity: EntityKindName; model: SimilarityModel; method: ProjectionMethod; sample: number; seed: number },
): Promise<Projection> {
  const { model, served, chosen, ids } = await sampleRows(db, input, PROJECTION_LIMITS[input.method]);
  const matrix = chosen.map((r) => Array.from(served.index.vectorAt(r)));
  let coords: number[][];
  let explainedVariance: number[] | null = null;
  if (input.method === "PCA") {
    const pca = new PCA(matrix);
    coords = pca.predict(matrix, { nComponents: 2 }).to2DArray();
    explainedVariance = pca.getExplainedVariance().slice(0, 2);
  } else {
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, matrix.length - 1), random: seededRandom(input.seed) });
    coords = umap.fit(matrix);
  }
  const [labels, genres, attributes] = await Promise.all([
    entityLabels(db, input.entity, ids),
    entityGenres(db, input.entity, ids),
    pointAttributes(db, input.entity, ids),
  ]);
  const none: PointAttributes = { tempo: null, key: null, mode: null, coldStart: true, topTag: null };
  const points = ids.map((id, i) => ({
    id,
    label: labels.get(id) ?? String(id),
    genre: genres.get(id) ?? null,
    ...(attributes.get(id) ?? none),
    x: coords[i][0] ?? 0,
    y: coords[i][1] ?? 0,
  }));
  return { entity: input.entity, model, method: input.method, versionId: served.versionId, points, explainedVariance };
}

const tsvCell = (s: string) => s.replace(/[\t\r\n]+/g, " ");

/**
 * The two files TensorFlow's Embedding Projector loads: vectors.tsv (one row of tab-separated
 * values per entity, no header) and metadata.tsv (a header row, then id, name, genre).
 */
export async function embeddingProjectorExport(db: Database, input: { entity: EntityKindName; model: SimilarityModel; sample: number; seed: number }) {
  const { served, chosen, ids } = await sampleRows(db, input, 20_000);
  const [labels, genres] = await Promise.all([entityLabels(db, input.entity, ids), entityGenres(db, input.entity, ids)]);
  const vectorsTsv = chosen.map((r) => Array.from(served.index.vectorAt(r), (v) => v.toPrecision(6)).join("\t")).join("\n") + "\n";
  const metadataTsv = ["id\tname\tgenre", ...ids.map((id) => `${id}\t${tsvCell(labels.get(id) ?? "")}\t${tsvCell(genres.get(id) ?? "")}`)].join("\n") + "\n";
  return { rows: ids.length, dim: served.index.dim, versionId: served.versionId, vectorsTsv, metadataTsv };
}
