import { gunzipSync, gzipSync } from "node:zlib";
import { DataFormatError } from "../core/errors.ts";
import type { TermKind } from "./extract.ts";
import { CulturalModel } from "./model.ts";
import type { CulturalModelOptions, EntityKind } from "./options.ts";

const FORMAT = "deepcuts-cultural-model";

/** A saved model version: options, vocabulary, pooled counts per entity and the LSA space. */
export interface CulturalModelJson {
  format: typeof FORMAT;
  version: 1;
  options: { minDf: number; maxDfRatio: number; kindWeights: Record<TermKind, number>; hybridWeight: number };
  /** Term keys ("kind:text") in id order, and their readable forms. */
  terms: string[];
  surfaces: string[];
  /** Per entity: id, kind, document count, then term ids and their counts (parallel arrays). */
  entities: { id: string; kind: EntityKind; documents: number; terms: number[]; counts: number[] }[];
  dense: null | { dims: number; singularValues: number[]; termIds: number[]; loadings: string };
}

function float32ToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}

function base64ToFloat32(text: string, expected: number): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength !== expected * 4) throw new DataFormatError("cultural model", 0, `dense.loadings must hold ${expected} float32 values, got ${bytes.byteLength / 4}`);
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Everything needed to restore the model (document frequencies are recomputed on load, so they cannot drift). */
export function culturalModelToJson(model: CulturalModel): CulturalModelJson {
  const { corpus } = model;
  const space = model.denseSpace;
  return {
    format: FORMAT,
    version: 1,
    options: { ...model.options, kindWeights: { ...model.options.kindWeights } },
    terms: corpus.terms.ids.slice(),
    surfaces: corpus.surfaces.slice(),
    entities: corpus.entities.ids.map((id, e) => ({
      id,
      kind: corpus.entityKinds[e],
      documents: corpus.documentCounts[e],
      terms: Array.from(corpus.counts[e].keys()),
      counts: Array.from(corpus.counts[e].values()),
    })),
    dense: space && {
      dims: space.dims,
      singularValues: Array.from(space.singularValues),
      termIds: Array.from(space.termIds),
      loadings: float32ToBase64(space.loadings),
    },
  };
}

export function culturalModelFromJson(json: CulturalModelJson, extra: Pick<CulturalModelOptions, "artistOf"> = {}): CulturalModel {
  if (json?.format !== FORMAT || json.version !== 1) {
    throw new DataFormatError("cultural model", 0, `expected format ${FORMAT} version 1, got ${String(json?.format)} version ${String(json?.version)}`);
  }
  if (json.surfaces.length !== json.terms.length) {
    throw new DataFormatError("cultural model", 0, `surfaces must have one entry per term (${json.terms.length}), got ${json.surfaces.length}`);
  }
  const model = new CulturalModel({ ...json.options, artistOf: extra.artistOf });
  const { corpus } = model;
  json.terms.forEach((key, t) => corpus.term(key, json.surfaces[t]));
  json.entities.forEach((entity, i) => {
    if (entity.terms.length !== entity.counts.length) {
      throw new DataFormatError("cultural model", 0, `entity ${i} ('${entity.id}') has ${entity.terms.length} term ids but ${entity.counts.length} counts`);
    }
    corpus.restoreEntity(corpus.entity(entity.id, entity.kind), entity.documents, entity.terms, entity.counts);
  });
  if (json.dense) {
    const { dims, termIds } = json.dense;
    model.setDenseSpace({
      dims,
      singularValues: Float32Array.from(json.dense.singularValues),
      termIds: Int32Array.from(termIds),
      loadings: base64ToFloat32(json.dense.loadings, termIds.length * dims),
    });
  }
  return model;
}

/** The JSON, gzipped: the compact bytes a model version stores. */
export function culturalModelToBytes(model: CulturalModel): Uint8Array {
  return gzipSync(JSON.stringify(culturalModelToJson(model)));
}

export function culturalModelFromBytes(bytes: Uint8Array, extra: Pick<CulturalModelOptions, "artistOf"> = {}): CulturalModel {
  let text: string;
  try {
    text = gunzipSync(bytes).toString("utf8");
  } catch (error) {
    throw new DataFormatError("cultural model", 0, `not gzip data (${bytes.byteLength} bytes): ${(error as Error).message}`);
  }
  return culturalModelFromJson(JSON.parse(text) as CulturalModelJson, extra);
}
