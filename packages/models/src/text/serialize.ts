import { gunzipSync, gzipSync } from "node:zlib";
import { DataFormatError } from "../core/errors.ts";
import type { TermCorpus } from "./corpus.ts";
import type { TermKind } from "./extract.ts";
import type { LsaSpace } from "./lsa.ts";
import type { EntityKind, IdfKind, ResolvedOptions } from "./options.ts";

const FORMAT = "deepcuts-cultural-model";

/** A saved model version: options, vocabulary, pooled counts per entity and the LSA space. */
export interface CulturalModelJson {
  format: typeof FORMAT;
  version: 1;
  /** idf, the expansion settings and secondOrderWeight are absent in files written before they existed (smooth idf, no expansion, first order only). */
  options: {
    minDf: number;
    maxDfRatio: number;
    kindWeights: Record<TermKind, number>;
    hybridWeight: number;
    idf?: IdfKind;
    expansionNeighbours?: number;
    expansionWeight?: number;
    secondOrderWeight?: number;
  };
  /** Term keys ("kind:text") in id order, and their readable forms. */
  terms: string[];
  surfaces: string[];
  /** Per entity: id, kind, document count, then term ids and their counts (parallel arrays). */
  entities: { id: string; kind: EntityKind; documents: number; terms: number[]; counts: number[] }[];
  /** center is absent in files written before it existed (no centring). */
  dense: null | { dims: number; singularValues: number[]; termIds: number[]; loadings: string; center?: number[] };
}

/** What serialisation reads from a model and restores into a new one (the model imports this file, not the reverse). */
export interface SerializableCulturalModel {
  readonly options: ResolvedOptions;
  readonly corpus: TermCorpus;
  readonly denseSpace: LsaSpace | null;
  setDenseSpace(space: LsaSpace | null): void;
}

function float32ToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
}

function base64ToFloat32(text: string, expected: number): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength !== expected * 4)
    throw new DataFormatError("cultural model", 0, `dense.loadings must hold ${expected} float32 values, got ${bytes.byteLength / 4}`);
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Everything needed to restore the model (document frequencies are recomputed on load, so they cannot drift). */
export function culturalModelToJson(model: SerializableCulturalModel): CulturalModelJson {
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
      center: Array.from(space.center),
    },
  };
}

/** Checks a saved model's header and returns the options to construct it with; old files keep the behaviour they were saved with. */
export function culturalModelJsonOptions(json: CulturalModelJson): CulturalModelJson["options"] {
  if (json?.format !== FORMAT || json.version !== 1) {
    throw new DataFormatError("cultural model", 0, `expected format ${FORMAT} version 1, got ${String(json?.format)} version ${String(json?.version)}`);
  }
  if (json.surfaces.length !== json.terms.length) {
    throw new DataFormatError("cultural model", 0, `surfaces must have one entry per term (${json.terms.length}), got ${json.surfaces.length}`);
  }
  return { idf: "smooth", expansionNeighbours: 0, expansionWeight: 0, secondOrderWeight: 0, ...json.options };
}

/** Restores vocabulary, counts and the LSA space of a saved model into `model`, new and empty, built with its options. */
export function restoreCulturalModel(json: CulturalModelJson, model: SerializableCulturalModel): void {
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
    const center = json.dense.center ?? new Array<number>(dims).fill(0);
    if (center.length !== dims) throw new DataFormatError("cultural model", 0, `dense.center must hold ${dims} values, got ${center.length}`);
    model.setDenseSpace({
      dims,
      singularValues: Float32Array.from(json.dense.singularValues),
      termIds: Int32Array.from(termIds),
      loadings: base64ToFloat32(json.dense.loadings, termIds.length * dims),
      center: Float32Array.from(center),
    });
  }
}

/** The JSON, gzipped: the compact bytes a model version stores. */
export function culturalModelToBytes(model: SerializableCulturalModel): Uint8Array {
  return gzipSync(JSON.stringify(culturalModelToJson(model)));
}

export function culturalModelJsonFromBytes(bytes: Uint8Array): CulturalModelJson {
  let text: string;
  try {
    text = gunzipSync(bytes).toString("utf8");
  } catch (error) {
    throw new DataFormatError("cultural model", 0, `not gzip data (${bytes.byteLength} bytes): ${(error as Error).message}`);
  }
  return JSON.parse(text) as CulturalModelJson;
}
