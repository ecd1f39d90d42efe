import { CancelledError, NotFittedError } from "../core/errors.ts";
import type { Csr, DenseMatrix } from "../core/matrix.ts";
import { seededRandom } from "../core/random.ts";
import { TopK } from "../core/topk.ts";
import { RowDots } from "../cf/wasm-dots.ts";
import { TermCorpus } from "./corpus.ts";
import { splitTermKey, termExtractor, type DocumentTerms, type TermKind } from "./extract.ts";
import { fitLsa, projectRows, type LsaSpace } from "./lsa.ts";
import { loadNatural } from "./natural-lib.ts";
import {
  DEFAULT_LSA_DIMS,
  resolveOptions,
  SECOND_ORDER_MAX_ENTITIES,
  type CulturalDocument,
  type CulturalModelOptions,
  type EntityKind,
  type ResolvedOptions,
} from "./options.ts";
import { buildVectors, sublinearTf, type CulturalVectors } from "./vectors.ts";
import {
  culturalModelJsonFromBytes,
  culturalModelJsonOptions,
  culturalModelToBytes,
  culturalModelToJson,
  restoreCulturalModel,
  type CulturalModelJson,
} from "./serialize.ts";

export interface TopTerm {
  term: string;
  kind: TermKind;
  /** tf-idf weight normalised over the entity's terms (of the kind asked, or all): reads as a probability. */
  weight: number;
  /** Occurrences in the entity's documents. */
  count: number;
}

export interface TopTerms {
  entityId: string;
  /** True for a track without text that shows its artist's terms. */
  inherited: boolean;
  /** The entity whose text the terms come from (the artist when inherited). */
  sourceEntityId: string;
  terms: TopTerm[];
}

export interface CulturalVector {
  entityId: string;
  inherited: boolean;
  sourceEntityId: string;
  /** Term ids (see `term(id)`), ascending, with L2-normalised tf-idf weights. */
  indices: Int32Array;
  values: Float32Array;
}

export interface SharedTerm {
  term: string;
  kind: TermKind;
  /** This term's share of the sparse cosine (product of the two weights). */
  weight: number;
}

export interface SimilarEntity {
  entityId: string;
  kind: EntityKind;
  score: number;
  /** The terms both share, largest contribution first: why they are near. */
  sharedTerms: SharedTerm[];
}

/** Sparse tf-idf cosine, dense LSA cosine, or a weighted sum of the two. */
export type SimilaritySpace = "sparse" | "dense" | "hybrid";

export interface SimilarOptions {
  n?: number;
  kind?: EntityKind;
  space?: SimilaritySpace;
  /** Shared terms to return per result (default 5). */
  explain?: number;
}

export interface DenseFitOptions {
  /** Dimensions of the LSA space (default DEFAULT_LSA_DIMS, 100; capped by the data). */
  dims?: number;
  seed?: number;
  oversample?: number;
  powerIterations?: number;
  signal?: AbortSignal;
}

export interface AddOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

const SHORT_TEXT = 64;

interface Resolved {
  index: number;
  inherited: boolean;
}

/** What second-order queries read, per space (see `CulturalModel.profiles`). */
interface SecondOrder {
  first: Float32Array;
  profiles: DenseMatrix;
  /** The profiles' cosines (core/vector.ts's `dot`, in WebAssembly where it runs: the same sums bit for bit). */
  dots: RowDots;
  /** 0, 1, ..., n - 1: every profile's row. */
  everyRow: Int32Array;
}

/**
 * Cultural vectors in the Echo Nest manner: documents about artists and tracks become weighted
 * top terms per kind, a sparse tf-idf vector and, after `fitDense`, an LSA vector. Adding
 * documents re-reads only the new text; vectors are rebuilt from the kept counts on demand.
 */
export class CulturalModel {
  readonly options: ResolvedOptions;
  private readonly artistOf?: (trackId: string) => string | undefined;
  /** @internal the counts; exposed for serialisation. */
  readonly corpus = new TermCorpus();
  private extract: ((raw: string) => DocumentTerms) | null = null;
  /** Terms of short texts already seen: user tags repeat ("rock" thousands of times), tagging them once is enough. */
  private readonly shortTextTerms = new Map<string, DocumentTerms>();
  private vectorsCache: CulturalVectors | null = null;
  private lsa: LsaSpace | null = null;
  private denseCache: Float32Array | null = null;
  /** Similarity profiles by space (`profiles`), dropped with the vectors or the dense space they come from. */
  private readonly profileCache = new Map<SimilaritySpace, SecondOrder>();

  constructor(options: CulturalModelOptions = {}) {
    this.options = resolveOptions(options);
    this.artistOf = options.artistOf;
  }

  get entityCount(): number {
    return this.corpus.entities.size;
  }

  get termCount(): number {
    return this.corpus.terms.size;
  }

  get documentCount(): number {
    return this.corpus.documentCounts.reduce((a, b) => a + b, 0);
  }

  /** The fitted LSA space, or null before `fitDense`. */
  get denseSpace(): LsaSpace | null {
    return this.lsa;
  }

  /** Extracts terms from new documents and merges them into their entities (natural loads on first use). */
  async addDocuments(documents: Iterable<CulturalDocument>, options: AddOptions = {}): Promise<{ documents: number; entities: number }> {
    this.extract ??= termExtractor(await loadNatural());
    const list = Array.from(documents);
    const touched = new Set<number>();
    for (let i = 0; i < list.length; i++) {
      const doc = list[i];
      if (typeof doc.entityId !== "string" || doc.entityId === "") throw new RangeError(`document ${i} has no entityId`);
      if (doc.kind !== "artist" && doc.kind !== "track") throw new RangeError(`document ${i} kind must be "artist" or "track", got ${String(doc.kind)}`);
      if (typeof doc.text !== "string") throw new RangeError(`document ${i} (entity '${doc.entityId}') text must be a string, got ${typeof doc.text}`);
    }
    for (let i = 0; i < list.length; i++) {
      const doc = list[i];
      const entity = this.corpus.entity(doc.entityId, doc.kind);
      this.corpus.addDocument(entity, this.termsOf(doc.text));
      touched.add(entity);
      if (i % 256 === 255) {
        options.onProgress?.(i + 1, list.length);
        // Let timers and I/O run between batches; tagging is CPU-bound.
        await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) throw new CancelledError(`adding documents (${i + 1} of ${list.length} done)`);
      }
    }
    options.onProgress?.(list.length, list.length);
    this.vectorsCache = null;
    this.denseCache = null;
    this.profileCache.clear();
    return { documents: list.length, entities: touched.size };
  }

  private termsOf(text: string): DocumentTerms {
    if (text.length > SHORT_TEXT) return this.extract!(text);
    let terms = this.shortTextTerms.get(text);
    if (!terms) {
      terms = this.extract!(text);
      if (this.shortTextTerms.size < 100_000) this.shortTextTerms.set(text, terms);
    }
    return terms;
  }

  /** All sparse vectors, rebuilt from the counts when documents were added since the last call. */
  vectors(): CulturalVectors {
    this.vectorsCache ??= buildVectors(this.corpus, this.options);
    return this.vectorsCache;
  }

  /** Rebuilds every vector from the kept counts now (what an add does lazily), e.g. to time it. */
  rebuildVectors(): CulturalVectors {
    this.vectorsCache = null;
    this.denseCache = null;
    this.profileCache.clear();
    return this.vectors();
  }

  /** Entities x terms tf-idf matrix (rows L2-normalised) and the entity id of each row. */
  culturalMatrix(): { matrix: Csr; entityIds: string[] } {
    return { matrix: this.vectors().matrix, entityIds: this.corpus.entities.ids };
  }

  /** Fits the LSA space by randomized truncated SVD of the current sparse vectors. */
  fitDense(options: DenseFitOptions = {}): { dims: number; singularValues: Float32Array } {
    const dims = options.dims ?? DEFAULT_LSA_DIMS;
    if (!Number.isInteger(dims) || dims < 1 || dims > 2048) throw new RangeError(`dims must be 1..2048, got ${dims}`);
    this.lsa = fitLsa(this.vectors().matrix, {
      dims,
      random: seededRandom(options.seed ?? 42),
      oversample: options.oversample,
      powerIterations: options.powerIterations,
      signal: options.signal,
    });
    this.denseCache = null;
    this.profileCache.clear();
    return { dims: this.lsa.dims, singularValues: this.lsa.singularValues };
  }

  /** Restores a saved LSA space (used by `fromJSON`). */
  setDenseSpace(space: LsaSpace | null): void {
    this.lsa = space;
    this.denseCache = null;
    this.profileCache.clear();
  }

  /** Unit-length dense vectors of all entities (rows in entity order). */
  denseMatrix(): Float32Array {
    if (!this.lsa) throw new NotFittedError("dense cultural space (call fitDense())");
    this.denseCache ??= projectRows(this.vectors().matrix, this.lsa);
    return this.denseCache;
  }

  has(entityId: string): boolean {
    return this.resolve(entityId) !== null;
  }

  entityIds(kind?: EntityKind): string[] {
    return this.corpus.entities.ids.filter((_, e) => !kind || this.corpus.entityKinds[e] === kind);
  }

  /** Readable text and kind of a term id. */
  term(id: number): { term: string; kind: TermKind } {
    const key = this.corpus.terms.idAt(id);
    return { term: this.corpus.surfaces[id] ?? splitTermKey(key).text, kind: this.corpus.termKinds[id] };
  }

  /** Top terms of an entity (all kinds, or one), weights normalised to sum to 1; null for an unknown entity. */
  topTerms(entityId: string, options: { kind?: TermKind; n?: number } = {}): TopTerms | null {
    const n = options.n ?? 10;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
    const found = this.resolve(entityId);
    if (!found) return null;
    const { corpus } = this;
    const entities = corpus.entities.size;
    const scored: TopTerm[] = [];
    let total = 0;
    for (const [t, count] of corpus.counts[found.index]) {
      const kind = corpus.termKinds[t];
      if (options.kind && kind !== options.kind) continue;
      // Same smoothed idf as the vectors, without the df cuts: a phrase only this artist has is a fine description.
      const weight = sublinearTf(count) * (Math.log((1 + entities) / (1 + corpus.df[t])) + 1);
      scored.push({ term: corpus.surfaces[t], kind, weight, count });
      total += weight;
    }
    scored.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
    const terms = scored.slice(0, n).map((t) => ({ ...t, weight: total > 0 ? t.weight / total : 0 }));
    return { entityId, inherited: found.inherited, sourceEntityId: corpus.entities.idAt(found.index), terms };
  }

  /** The sparse cultural vector; a track without text gets its artist's, marked inherited. */
  vector(entityId: string): CulturalVector | null {
    const found = this.resolve(entityId);
    if (!found) return null;
    const { matrix } = this.vectors();
    const start = matrix.indptr[found.index],
      end = matrix.indptr[found.index + 1];
    return {
      entityId,
      inherited: found.inherited,
      sourceEntityId: this.corpus.entities.idAt(found.index),
      indices: matrix.indices.slice(start, end),
      values: matrix.data.slice(start, end),
    };
  }

  /** The dense LSA vector (unit length), inherited like `vector`; null for an unknown entity. */
  denseVector(entityId: string): { vector: Float32Array; inherited: boolean } | null {
    const found = this.resolve(entityId);
    if (!found) return null;
    const dims = this.lsa?.dims ?? 0;
    return { vector: this.denseMatrix().slice(found.index * dims, (found.index + 1) * dims), inherited: found.inherited };
  }

  /**
   * Similarity scores of one entity against every entity (entity order), self included: the
   * cosine in `space` and, with expansion on, the mean cosine of the query's
   * `expansionNeighbours` nearest entities weighted `expansionWeight`, divided by
   * 1 + expansionWeight so scores stay in [-1, 1] (pseudo-relevance feedback, Rocchio 1971:
   * what the query's nearest neighbours resemble is likely near the query too). Then, with
   * `secondOrderWeight` w > 0 and at most SECOND_ORDER_MAX_ENTITIES entities, each score becomes
   * (1 - w) x that score + w x the cosine of the two entities' similarity profiles (see
   * `profiles`): second-order similarity, high for entities described like the same others.
   */
  scoresFor(entityId: string, space: SimilaritySpace = "sparse"): Float32Array | null {
    const found = this.resolve(entityId);
    if (!found) return null;
    const w = this.options.secondOrderWeight;
    const n = this.corpus.entities.size;
    if (w === 0 || n > SECOND_ORDER_MAX_ENTITIES) return this.firstOrderScores(found.index, (e) => this.cosines(e, space));
    const { first, profiles, dots, everyRow } = this.profiles(space);
    const qo = found.index * n;
    const cosines = new Float64Array(n);
    dots.dotsWithRow(profiles, everyRow, n, found.index, cosines);
    const out = new Float32Array(n);
    for (let e = 0; e < n; e++) out[e] = (1 - w) * first[qo + e] + w * cosines[e];
    return out;
  }

  /**
   * First-order scores of the entity in row `index`: the cosines in `space` (`cosinesOf` gives an
   * entity's row), with query expansion.
   */
  private firstOrderScores(index: number, cosinesOf: (e: number) => Float32Array): Float32Array {
    const scores = cosinesOf(index);
    const { expansionNeighbours, expansionWeight } = this.options;
    if (expansionNeighbours === 0 || expansionWeight === 0) return scores;
    const nearest = new TopK(expansionNeighbours);
    for (let e = 0; e < scores.length; e++) {
      if (e !== index && scores[e] > 0 && scores[e] > nearest.threshold) nearest.push(e, scores[e]);
    }
    const neighbours = nearest.sorted().ids;
    if (neighbours.length === 0) return scores;
    const own = 1 / (1 + expansionWeight),
      each = expansionWeight / neighbours.length / (1 + expansionWeight);
    const expanded = new Float32Array(scores.length);
    for (let j = 0; j < expanded.length; j++) expanded[j] = own * scores[j];
    for (const e of neighbours) {
      const theirs = cosinesOf(e);
      for (let j = 0; j < expanded.length; j++) expanded[j] += each * theirs[j];
    }
    return expanded;
  }

  /**
   * Every entity's first-order scores and similarity profile in `space` (each entities x
   * entities, row-major). A profile is the entity's first-order scores against every entity, its
   * own left at 0, minus their mean, scaled to unit length. Built on the first second-order query
   * after the vectors or the dense space change, then kept; each entity's cosines are computed
   * once for the build (the expansion reuses its neighbours' rows), not once per entity that
   * expands with it.
   */
  private profiles(space: SimilaritySpace): SecondOrder {
    let cached = this.profileCache.get(space);
    if (cached) return cached;
    const n = this.corpus.entities.size;
    const cosines = new Float32Array(n * n);
    for (let e = 0; e < n; e++) cosines.set(this.cosines(e, space), e * n);
    const cosinesOf = (e: number) => cosines.subarray(e * n, (e + 1) * n);
    const first = new Float32Array(n * n);
    const profiles = new Float32Array(n * n);
    for (let e = 0; e < n; e++) {
      const scores = this.firstOrderScores(e, cosinesOf);
      first.set(scores, e * n);
      const row = profiles.subarray(e * n, (e + 1) * n);
      row.set(scores);
      row[e] = 0;
      let mean = 0;
      for (let j = 0; j < n; j++) mean += row[j];
      mean /= n;
      let norm = 0;
      for (let j = 0; j < n; j++) {
        row[j] -= mean;
        norm += row[j] * row[j];
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < n; j++) row[j] /= norm;
    }
    const matrix = { rows: n, cols: n, data: profiles };
    cached = { first, profiles: matrix, dots: RowDots.create([matrix]), everyRow: Int32Array.from({ length: n }, (_, e) => e) };
    this.profileCache.set(space, cached);
    return cached;
  }

  /** Cosine scores of the entity in row `index` against every entity; NaN-free, self included. */
  private cosines(index: number, space: SimilaritySpace): Float32Array {
    const scores = new Float32Array(this.corpus.entities.size);
    if (space !== "dense") {
      const { matrix, byTerm } = this.vectors();
      const share = space === "hybrid" ? 1 - this.options.hybridWeight : 1;
      for (let k = matrix.indptr[index]; k < matrix.indptr[index + 1]; k++) {
        const t = matrix.indices[k],
          q = matrix.data[k] * share;
        for (let j = byTerm.indptr[t]; j < byTerm.indptr[t + 1]; j++) scores[byTerm.indices[j]] += q * byTerm.data[j];
      }
    }
    if (space !== "sparse") {
      const dense = this.denseMatrix();
      const dims = this.lsa!.dims;
      const share = space === "hybrid" ? this.options.hybridWeight : 1;
      const qo = index * dims;
      for (let e = 0; e < scores.length; e++) {
        let dot = 0;
        const eo = e * dims;
        for (let d = 0; d < dims; d++) dot += dense[qo + d] * dense[eo + d];
        scores[e] += share * dot;
      }
    }
    return scores;
  }

  /** Nearest entities by cultural vector, each with the shared terms that explain it. */
  similar(entityId: string, options: SimilarOptions = {}): SimilarEntity[] {
    const n = options.n ?? 10;
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
    const scores = this.scoresFor(entityId, options.space ?? "sparse");
    if (!scores) return [];
    const self = this.corpus.entities.indexOf(entityId);
    const top = new TopK(n);
    for (let e = 0; e < scores.length; e++) {
      if (e === self || scores[e] <= 0 || (options.kind && this.corpus.entityKinds[e] !== options.kind)) continue;
      if (scores[e] > top.threshold) top.push(e, scores[e]);
    }
    const { ids, scores: best } = top.sorted();
    const query = this.resolve(entityId)!.index;
    return Array.from(ids, (e, i) => ({
      entityId: this.corpus.entities.idAt(e),
      kind: this.corpus.entityKinds[e],
      score: best[i],
      sharedTerms: this.sharedTerms(query, e, options.explain ?? 5),
    }));
  }

  /** Terms in both vectors, by their product of weights (their share of the cosine). */
  private sharedTerms(a: number, b: number, limit: number): SharedTerm[] {
    const { matrix } = this.vectors();
    const shared: SharedTerm[] = [];
    let i = matrix.indptr[a],
      j = matrix.indptr[b];
    const endA = matrix.indptr[a + 1],
      endB = matrix.indptr[b + 1];
    while (i < endA && j < endB) {
      const ta = matrix.indices[i],
        tb = matrix.indices[j];
      if (ta === tb) {
        shared.push({ ...this.term(ta), weight: matrix.data[i] * matrix.data[j] });
        i++;
        j++;
      } else if (ta < tb) i++;
      else j++;
    }
    return shared.sort((x, y) => y.weight - x.weight).slice(0, limit);
  }

  toJSON(): CulturalModelJson {
    return culturalModelToJson(this);
  }

  static fromJSON(json: CulturalModelJson, extra: Pick<CulturalModelOptions, "artistOf"> = {}): CulturalModel {
    const model = new CulturalModel({ ...culturalModelJsonOptions(json), artistOf: extra.artistOf });
    restoreCulturalModel(json, model);
    return model;
  }

  /** Gzipped JSON, for storing as a model version. */
  save(): Uint8Array {
    return culturalModelToBytes(this);
  }

  static load(bytes: Uint8Array, extra: Pick<CulturalModelOptions, "artistOf"> = {}): CulturalModel {
    return CulturalModel.fromJSON(culturalModelJsonFromBytes(bytes), extra);
  }

  private resolve(entityId: string): Resolved | null {
    const own = this.corpus.entities.indexOf(entityId);
    if (own >= 0) return { index: own, inherited: false };
    const artist = this.artistOf?.(entityId);
    if (artist === undefined) return null;
    const index = this.corpus.entities.indexOf(artist);
    return index >= 0 && this.corpus.entityKinds[index] === "artist" ? { index, inherited: true } : null;
  }
}
