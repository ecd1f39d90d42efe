import type { Database } from "@deepcuts/db";
import { parquetWriteBuffer } from "hyparquet-writer";
import { loadVectors } from "../training/vector-store.ts";
import type { ModelKindName } from "../training/model-versions.ts";
import { invalid, missing, notReady, ServiceError } from "../service-error.ts";
import { writeChunks, type Chunks } from "./chunks.ts";
import { delimitedLines } from "./delimited.ts";
import { entityMetadata, type ExportEntity } from "./metadata.ts";
import { npyBytes } from "./npy.ts";

/** Model names as the CLI writes them, and the stored kind behind each. */
export const VECTOR_MODELS: Record<string, ModelKindName> = {
  als: "ALS",
  lmf: "LMF",
  text: "TEXT",
  "audio-features": "AUDIO_FEATURES",
  "audio-cnn": "AUDIO_CNN",
  "co-mention": "CO_MENTION",
};
export const VECTOR_FORMATS = ["npy", "parquet", "csv", "tsv"] as const;
export type VectorFormat = (typeof VECTOR_FORMATS)[number];

export interface VectorExportInput {
  model: string;
  entity: ExportEntity;
  format: VectorFormat;
  /** The file to write (for npy, the metadata goes beside it as <name>.meta.csv). */
  out: string;
  /** A model version id; default the active READY version of the model. */
  versionId?: number;
}

export interface VectorExportResult {
  versionId: number;
  model: string;
  entity: ExportEntity;
  rows: number;
  dimensions: number;
  files: string[];
}

const META_COLUMNS = ["entity_id", "external_key", "name", "artist", "genre", "plays", "inherited"];

/** The HTTP content type of each vector format. */
export const VECTOR_CONTENT_TYPES: Record<VectorFormat, string> = {
  npy: "application/octet-stream",
  parquet: "application/vnd.apache.parquet",
  csv: "text/csv; charset=utf-8",
  tsv: "text/tab-separated-values; charset=utf-8",
};

/** One model version's vectors of one entity kind, loaded and ready to be written in any format. */
export interface PreparedVectors {
  versionId: number;
  model: string;
  entity: ExportEntity;
  rows: number;
  dimensions: number;
  /** The file of a format, produced as chunks (npy: the matrix only; its metadata is `npyMetadata`). */
  file(format: VectorFormat): Chunks;
  /** The CSV beside an npy matrix: row r describes matrix row r. */
  npyMetadata(): Chunks;
}

/**
 * Loads one model version's stored vectors of one entity kind with each entity's id and
 * metadata (default the active READY version). Refuses an unknown model, a missing version and
 * a version without vectors of the kind, naming what is wrong. Rows are in entity id order.
 */
export async function prepareVectorExport(db: Database, input: Omit<VectorExportInput, "format" | "out">): Promise<PreparedVectors> {
  const kind = VECTOR_MODELS[input.model];
  if (!kind) throw invalid("model", `must be one of ${Object.keys(VECTOR_MODELS).join(", ")}, got '${input.model}'`);
  const versions = await db.query<{ id: number; status: string }>(
    input.versionId === undefined
      ? `SELECT id, status::text AS status FROM model_versions WHERE kind::text = $1 AND is_active AND status = 'READY'`
      : `SELECT id, status::text AS status FROM model_versions WHERE kind::text = $1 AND id = $2`,
    input.versionId === undefined ? [kind] : [kind, input.versionId],
  );
  if (versions.length === 0) {
    throw input.versionId === undefined
      ? notReady(`no active ${input.model} model: train one first (deepcuts train --model ${input.model})`)
      : missing(`${input.model} model version ${input.versionId}`);
  }
  const versionId = versions[0].id;
  const { ids, matrix, inherited } = await loadVectors(db, versionId, input.entity);
  if (ids.length === 0) {
    const kinds = await db.query<{ k: string }>(`SELECT DISTINCT entity_kind::text AS k FROM vectors WHERE model_version_id = $1 ORDER BY 1`, [versionId]);
    throw new ServiceError(
      "NOT_FOUND",
      `${input.model} version ${versionId} has no ${input.entity.toLowerCase()} vectors (it stores: ${kinds.map((k) => k.k.toLowerCase()).join(", ") || "none"})`,
    );
  }
  const meta = await entityMetadata(db, input.entity, ids);
  const metaRow = (r: number): (string | number | boolean | null)[] => {
    const m = meta.get(ids[r]);
    return [ids[r], m?.externalKey ?? null, m?.name ?? null, m?.artist ?? null, m?.genre ?? null, m?.plays ?? 0, inherited[r] === 1];
  };
  const factorNames = Array.from({ length: matrix.cols }, (_, f) => `f${f}`);
  const parquet = (): Uint8Array => {
    const column = (i: number) => Array.from({ length: matrix.rows }, (_, r) => metaRow(r)[i]);
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "entity_id", data: Int32Array.from(ids), type: "INT32", nullable: false },
        { name: "external_key", data: column(1), type: "STRING" },
        { name: "name", data: column(2), type: "STRING" },
        { name: "artist", data: column(3), type: "STRING" },
        { name: "genre", data: column(4), type: "STRING" },
        { name: "plays", data: Float64Array.from(column(5) as number[]), type: "DOUBLE", nullable: false },
        { name: "inherited", data: column(6), type: "BOOLEAN", nullable: false },
        ...factorNames.map((name, f) => ({
          name,
          type: "FLOAT" as const,
          nullable: false,
          data: Float32Array.from({ length: matrix.rows }, (_, r) => matrix.data[r * matrix.cols + f]),
        })),
      ],
      kvMetadata: [
        { key: "deepcuts.model", value: input.model },
        { key: "deepcuts.model_version", value: String(versionId) },
        { key: "deepcuts.entity", value: input.entity.toLowerCase() },
      ],
      createdBy: "deepcuts",
    });
    return new Uint8Array(buffer);
  };
  const delimitedRows = function* () {
    for (let r = 0; r < matrix.rows; r++) yield [...metaRow(r), ...matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols)];
  };
  return {
    versionId,
    model: input.model,
    entity: input.entity,
    rows: matrix.rows,
    dimensions: matrix.cols,
    file(format) {
      if (format === "npy") return [npyBytes(matrix.rows, matrix.cols, matrix.data)];
      if (format === "parquet") return [parquet()];
      return delimitedLines(format === "csv" ? "," : "\t", [...META_COLUMNS, ...factorNames], delimitedRows());
    },
    npyMetadata() {
      return delimitedLines(
        ",",
        ["row", ...META_COLUMNS],
        Array.from({ length: matrix.rows }, (_, r) => [r, ...metaRow(r)]),
      );
    },
  };
}

/**
 * Writes one model version's stored vectors of one entity kind with each entity's id and
 * metadata: npy (the matrix) with a .meta.csv beside it whose row r describes matrix row r;
 * Parquet, CSV or TSV with metadata columns then f0..f(d-1). Rows are in entity id order.
 */
export async function exportVectors(db: Database, input: VectorExportInput): Promise<VectorExportResult> {
  const prepared = await prepareVectorExport(db, input);
  const files: string[] = [input.out];
  await writeChunks(input.out, prepared.file(input.format));
  if (input.format === "npy") {
    const metaPath = input.out.replace(/\.npy$/i, "") + ".meta.csv";
    await writeChunks(metaPath, prepared.npyMetadata());
    files.push(metaPath);
  }
  return { versionId: prepared.versionId, model: input.model, entity: input.entity, rows: prepared.rows, dimensions: prepared.dimensions, files };
}
