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
  /** Weight of the dense LSA cosine in "hybrid" similarity (default 0.5). */
  hybridWeight?: number;
  /** The artist of a track, so a track without text inherits its artist's vector. */
  artistOf?: (trackId: string) => string | undefined;
}

// Noun phrases and adjectives are for reading: in the vectors they double-count words n1 and n2 already hold,
// and leaving them out raised precision@10 on both artist-bios lists (docs/text.md).
export const DEFAULT_KIND_WEIGHTS: Record<TermKind, number> = { n1: 1, n2: 1, np: 0, adj: 0 };

export interface ResolvedOptions {
  minDf: number;
  maxDfRatio: number;
  kindWeights: Record<TermKind, number>;
  hybridWeight: number;
}

export function resolveOptions(options: CulturalModelOptions): ResolvedOptions {
  const minDf = options.minDf ?? 2;
  const maxDfRatio = options.maxDfRatio ?? 0.5;
  const hybridWeight = options.hybridWeight ?? 0.5;
  if (!Number.isInteger(minDf) || minDf < 1) throw new RangeError(`minDf must be an integer >= 1, got ${minDf}`);
  if (!(maxDfRatio > 0 && maxDfRatio <= 1)) throw new RangeError(`maxDfRatio must be in (0, 1], got ${maxDfRatio}`);
  if (!(hybridWeight >= 0 && hybridWeight <= 1)) throw new RangeError(`hybridWeight must be in [0, 1], got ${hybridWeight}`);
  const kindWeights = { ...DEFAULT_KIND_WEIGHTS, ...options.kindWeights };
  for (const [kind, w] of Object.entries(kindWeights)) {
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`kindWeights.${kind} must be a finite number >= 0, got ${w}`);
  }
  return { minDf, maxDfRatio, kindWeights, hybridWeight };
}
