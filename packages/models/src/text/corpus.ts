import { IdIndex } from "../core/id-index.ts";
import { splitTermKey, type DocumentTerms, type TermKind } from "./extract.ts";
import type { EntityKind } from "./options.ts";

/**
 * The counts behind the cultural vectors: vocabulary, term counts per entity (an entity's
 * documents pooled, as the Echo Nest did per artist) and document frequencies counted over
 * entities. Adding a document touches only its entity's counts and the df of terms new to
 * that entity, so incremental adds and a rebuild from scratch give the same numbers.
 */
export class TermCorpus {
  readonly terms = new IdIndex<string>();
  readonly termKinds: TermKind[] = [];
  /** Readable form of each term (for n1, the shortest word seen with that stem). */
  readonly surfaces: string[] = [];
  /** Number of entities whose documents contain each term. */
  readonly df: number[] = [];
  readonly entities = new IdIndex<string>();
  readonly entityKinds: EntityKind[] = [];
  readonly documentCounts: number[] = [];
  /** Term id -> count, per entity. */
  readonly counts: Map<number, number>[] = [];

  /** Index of the entity, registering it when new; one id cannot be both an artist and a track. */
  entity(id: string, kind: EntityKind): number {
    const known = this.entities.indexOf(id);
    if (known >= 0) {
      if (this.entityKinds[known] !== kind) {
        throw new RangeError(`entity '${id}' is already a ${this.entityKinds[known]}, got a document for it as a ${kind}`);
      }
      return known;
    }
    const e = this.entities.add(id);
    this.entityKinds.push(kind);
    this.documentCounts.push(0);
    this.counts.push(new Map());
    return e;
  }

  /** Adds one document's terms to an entity. */
  addDocument(entity: number, doc: DocumentTerms): void {
    this.documentCounts[entity]++;
    const counts = this.counts[entity];
    for (const [key, count] of doc.counts) {
      const t = this.term(key, doc.surfaces.get(key));
      const before = counts.get(t);
      if (before === undefined) this.df[t]++;
      counts.set(t, (before ?? 0) + count);
    }
  }

  /** Restores one entity's pooled counts (loading a saved model). */
  restoreEntity(entity: number, documents: number, termIds: ArrayLike<number>, termCounts: ArrayLike<number>): void {
    this.documentCounts[entity] = documents;
    const counts = this.counts[entity];
    for (let i = 0; i < termIds.length; i++) {
      const t = termIds[i];
      if (t < 0 || t >= this.terms.size) throw new RangeError(`term id ${t} of entity '${this.entities.idAt(entity)}' is outside 0..${this.terms.size - 1}`);
      if (!counts.has(t)) this.df[t]++;
      counts.set(t, (counts.get(t) ?? 0) + termCounts[i]);
    }
  }

  /** Id of a term key, registering it when new; keeps the shortest surface form of a stem. */
  term(key: string, surface?: string): number {
    let t = this.terms.indexOf(key);
    if (t < 0) {
      t = this.terms.add(key);
      const { kind, text } = splitTermKey(key);
      this.termKinds.push(kind);
      this.surfaces.push(surface ?? text);
      this.df.push(0);
    } else if (surface !== undefined) {
      const seen = this.surfaces[t];
      if (surface.length < seen.length || (surface.length === seen.length && surface < seen)) this.surfaces[t] = surface;
    }
    return t;
  }
}
