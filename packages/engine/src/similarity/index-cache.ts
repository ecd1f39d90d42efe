import type { Database } from "@deepcuts/db";
import { buildHnswAsync, buildNeighbourIndex, type BuildIndexOptions, type BuiltIndex } from "@deepcuts/models/ann";
import type { ModelKindName } from "../training/model-versions.ts";
import { notReady } from "../service-error.ts";
import type { EntityKindName, SingleModel } from "./models.ts";
import { activeVersionFor, loadVectorSet } from "./vector-source.ts";
import { storedWhitening, whitenAudioSet } from "./audio-scale.ts";

export interface ServedIndex extends BuiltIndex {
  model: SingleModel;
  entity: EntityKindName;
  versionId: number;
  versionKind: ModelKindName;
  /** Artist vectors averaged from their tracks because the version stores none. */
  derived: boolean;
  builtAt: Date;
  /** Set while an HNSW graph is being built behind the exact index that serves meanwhile. */
  upgrading: Promise<void> | null;
}

/**
 * One in-memory nearest-neighbour index per (active model version, entity kind), so serving
 * never scans the vectors table per request. Entries are keyed by version id and revision:
 * activating another version, or rows leaving this one (a deleted listener, docs/privacy.md),
 * makes the next request build (once, shared by concurrent callers) and drops the old one.
 * Above `exactUpTo` vectors the exact index serves at once while an HNSW graph is built in
 * slices that yield to the event loop (minutes for 50k vectors on two cores); the entry
 * switches to HNSW, with its measured recall, when the graph is done.
 */
export class NeighbourIndexCache {
  private readonly entries = new Map<string, Promise<ServedIndex | null>>();

  constructor(
    private readonly db: Database,
    private readonly options: BuildIndexOptions = {},
  ) {}

  /** The served index, or MODEL_NOT_READY naming what is missing. */
  async get(model: SingleModel, entity: EntityKindName): Promise<ServedIndex> {
    const found = await this.find(model, entity);
    if (!found) throw notReady(`the ${model} model has no active version with ${entity} vectors yet`);
    return found;
  }

  /** The served index, or null when that model has no vectors of that kind. */
  async find(model: SingleModel, entity: EntityKindName): Promise<ServedIndex | null> {
    const version = await activeVersionFor(this.db, model);
    if (!version) return null;
    // The revision moves on when rows leave the version (a deleted listener): rebuild without them.
    const key = `${model}:${entity}:${version.id}:${version.revision}`;
    let entry = this.entries.get(key);
    if (!entry) {
      for (const k of [...this.entries.keys()]) if (k.startsWith(`${model}:${entity}:`)) this.entries.delete(k);
      entry = this.build(model, entity, version.id, version.kind);
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }

  private async build(model: SingleModel, entity: EntityKindName, versionId: number, versionKind: ModelKindName): Promise<ServedIndex | null> {
    const loaded = await loadVectorSet(this.db, versionId, entity);
    if (!loaded) return null;
    if (model === "AUDIO") loaded.set = whitenAudioSet(loaded.set, entity, await storedWhitening(this.db, versionId));
    const large = loaded.set.ids.length > (this.options.exactUpTo ?? 20_000);
    const built = buildNeighbourIndex(loaded.set, { ...this.options, exactUpTo: Infinity });
    const served: ServedIndex = { ...built, model, entity, versionId, versionKind, derived: loaded.derived, builtAt: new Date(), upgrading: null };
    if (large) {
      served.upgrading = buildHnswAsync(loaded.set, this.options)
        .then((hnsw) => void Object.assign(served, hnsw, { builtAt: new Date() }))
        .catch(() => {}) // a failed build leaves the exact index serving
        .finally(() => (served.upgrading = null));
    }
    return served;
  }

  /** Drops every index; the next request per model builds afresh (used on activation). */
  invalidate(): void {
    this.entries.clear();
  }

  /** The indexes built so far. */
  async loaded(): Promise<ServedIndex[]> {
    const all = await Promise.all([...this.entries.values()].map((p) => p.catch(() => null)));
    return all.filter((x): x is ServedIndex => x !== null);
  }
}

const caches = new WeakMap<Database, NeighbourIndexCache>();

/** The process-wide cache of one database. */
export function indexCacheFor(db: Database): NeighbourIndexCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new NeighbourIndexCache(db);
    caches.set(db, cache);
  }
  return cache;
}
