import type { TermKind } from "./extract.ts";

export type EntityKind = "artist" | "track";
export type DocumentSource = "bio" | "review" | "blog" | "tag";

/** One text about an artist or a track; user tags come in as very short documents. */
export interface CulturalDocument {
  entityId: string;
  kind: EntityKind;
  text: string;
  source?: DocumentSource;
}

/** Parameters of the cultural vectors, with their defaults in one place. */
export interface CulturalModelOptions {
  /** A term must occur in at least this many entities to enter the vectors (default 2). */
  minDf?: number;
  /** Terms in more than this share of entities are dropped from the vectors (default 0.5; applies from 20 entities). */
  maxDfRatio?: number;
  /** Multiplier of each kind's weights in the vector; 0 leaves the kind out (defaults below). */
  kindWeights?: Partial<Record<TermKind, number>>;
  /** Weight of the dense LSA cosine in "hybrid" similarity (default 0.3). */
  hybridWeight?: number;
  /** Inverse document frequency: "plain" ln(N / df) (default) or "smooth" ln((1 + N) / (1 + df)) + 1. */
  idf?: IdfKind;
  /**
   * Query expansion: a similarity query adds the scores of its this many nearest entities
   * (default 5; 0 turns it off), each weighted `expansionWeight / expansionNeighbours`.
   */
  expansionNeighbours?: number;
  /** Total weight of the expansion neighbours' scores beside the query's own (default 1.5). */
  expansionWeight?: number;
  /**
   * Weight of second-order similarity (default 0.25; 0 turns it off): a query's score of e is
   * (1 - w) x its own score + w x the cosine of the two entities' similarity profiles (each one's
   * centred scores against every entity), so artists described like the same others rank
   * together. Applies while the model holds at most SECOND_ORDER_MAX_ENTITIES entities.
   */
  secondOrderWeight?: number;
  /** The artist of a track, so a track without text inherits its artist's vector. */
  artistOf?: (trackId: string) => string | undefined;
}

// Noun phrases and adjectives double-count words n1 and n2 already hold, so they enter at half weight: chosen on
// the validation half of the artist-bios lists together with plain idf and query expansion (docs/text.md).
export const DEFAULT_KIND_WEIGHTS: Record<TermKind, number> = { n1: 1, n2: 1, np: 0.5, adj: 0.5 };

export type IdfKind = "plain" | "smooth";

export interface ResolvedOptions {
  minDf: number;
  maxDfRatio: number;
  kindWeights: Record<TermKind, number>;
  hybridWeight: number;
  idf: IdfKind;
  expansionNeighbours: number;
  expansionWeight: number;
  secondOrderWeight: number;
}

/**
 * Dimensions of the LSA space when none are named: what the artist-bios evaluation chose on the
 * validation halves of its seed-7 split (75, 125, 150 and 200 each scored lower; docs/text.md),
 * so the product trains the space its precision figures measure. The weekly run scores every
 * track against this many text columns per listener (docs/benchmarks.md).
 */
export const DEFAULT_LSA_DIMS = 100;

/**
 * Second-order similarity keeps one profile and one row of first-order scores per entity against
 * every entity (two N x N float arrays, built on the first query, and the profiles' copy in the
 * WebAssembly dot products' memory): above this many entities (192 MiB kept, 256 MiB while
 * building) it is not used.
 */
export const SECOND_ORDER_MAX_ENTITIES = 4096;

export function resolveOptions(options: CulturalModelOptions): ResolvedOptions {
  const minDf = options.minDf ?? 2;
  const maxDfRatio = options.maxDfRatio ?? 0.5;
  const hybridWeight = options.hybridWeight ?? 0.3;
  if (!Number.isInteger(minDf) || minDf < 1) throw new RangeError(`minDf must be an integer >= 1, got ${minDf}`);
  if (!(maxDfRatio > 0 && maxDfRatio <= 1)) throw new RangeError(`maxDfRatio must be in (0, 1], got ${maxDfRatio}`);
  if (!(hybridWeight >= 0 && hybridWeight <= 1)) throw new RangeError(`hybridWeight must be in [0, 1], got ${hybridWeight}`);
  const idf = options.idf ?? "plain";
  const expansionNeighbours = options.expansionNeighbours ?? 5;
  const expansionWeight = options.expansionWeight ?? 1.5;
  if (idf !== "plain" && idf !== "smooth") throw new RangeError(`idf must be "plain" or "smooth", got ${String(idf)}`);
  if (!Number.isInteger(expansionNeighbours) || expansionNeighbours < 0 || expansionNeighbours > 100) {
    throw new RangeError(`expansionNeighbours must be an integer in 0..100, got ${expansionNeighbours}`);
  }
  if (!(expansionWeight >= 0 && Number.isFinite(expansionWeight))) throw new RangeError(`expansionWeight must be a finite number >= 0, got ${expansionWeight}`);
  const secondOrderWeight = options.secondOrderWeight ?? 0.25;
  if (!(secondOrderWeight >= 0 && secondOrderWeight <= 1)) throw new RangeError(`secondOrderWeight must be in [0, 1], got ${secondOrderWeight}`);
  const kindWeights = { ...DEFAULT_KIND_WEIGHTS, ...options.kindWeights };
  for (const [kind, w] of Object.entries(kindWeights)) {
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`kindWeights.${kind} must be a finite number >= 0, got ${w}`);
  }
  return { minDf, maxDfRatio, kindWeights, hybridWeight, idf, expansionNeighbours, expansionWeight, secondOrderWeight };
}
