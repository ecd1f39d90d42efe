/**
 * Blend weights and constraints: the one list of the weekly blend's sources and playlist rules,
 * each with its range, default and meaning. The engine, the API's GraphQL types, the dashboard's
 * sliders and the evaluations derive from it. It imports nothing, so the dashboard can bundle
 * it (`@deepcuts/models/blend/weights`) without the models' native code.
 */

/** One source of the blend and the range of its weight. */
export interface WeightSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Slider step in the dashboard. */
  readonly step: number;
  readonly default: number;
  /** What the source scores, completing "Weight of ...". */
  readonly description: string;
  /** What a blend stored (or sent) without this weight reads as: a source added after blends were saved. */
  readonly absentAs?: number;
}

/** The blend's sources, in the order the engine sums them and the dashboard shows them. */
export const BLEND_WEIGHTS = [
  { name: "collaborative", min: 0, max: 10, step: 0.1, default: 1, description: "collaborative filtering (ALS, else LMF)" },
  { name: "text", min: 0, max: 10, step: 0.1, default: 0.3, description: "cultural (text) similarity" },
  { name: "audio", min: 0, max: 10, step: 0.1, default: 0.3, description: "audio similarity" },
  {
    name: "coMention",
    min: 0,
    max: 10,
    step: 0.1,
    // Chosen on the demo world's validation splits (seeds 7 and 3; docs/weekly.md).
    default: 0.3,
    description: "co-mention similarity (artists written about together)",
    absentAs: 0,
  },
  { name: "popularity", min: 0, max: 10, step: 0.1, default: 0.1, description: "popularity" },
  { name: "novelty", min: 0, max: 10, step: 0.1, default: 0, description: "novelty (tracks by artists new to the listener)" },
] as const satisfies readonly WeightSpec[];

export type BlendSource = (typeof BLEND_WEIGHTS)[number]["name"];

/** The source names alone, in BLEND_WEIGHTS order. */
export const BLEND_SOURCES: readonly BlendSource[] = BLEND_WEIGHTS.map((w) => w.name);

/** Weight of each source. A model not trained yet counts 0. */
export type BlendWeights = Record<BlendSource, number>;

export interface BlendConstraints {
  playlistSize: number;
  /** At most this many tracks by one artist. */
  artistCap: number;
  /** Largest share of the playlist by artists the listener already plays. */
  knownArtistShare: number;
  /** Maximal-marginal-relevance trade-off: 0 = pure score, 1 = pure diversity. */
  diversity: number;
  /** Leave out tracks the listener skipped or disliked, and artists they disliked. */
  excludeSkipped: boolean;
  /**
   * Slots of each weekly playlist drawn at random from the blend's wider candidate pool, with
   * their probabilities logged (blend/exploration.ts); 0..playlistSize, default 3. A version
   * saved before this existed reads as the default.
   */
  explorationSlots?: number;
}

/** One playlist rule: an integer or number range (`max: "playlistSize"` is that constraint's value), or a switch. */
export type ConstraintSpec =
  | {
      readonly kind: "integer" | "number";
      readonly min: number;
      readonly max: number | "playlistSize";
      readonly step: number;
      readonly default: number;
      readonly description: string;
    }
  | { readonly kind: "boolean"; readonly default: boolean; readonly description: string };

/** The playlist rules, in the order they are checked. */
export const BLEND_CONSTRAINTS = {
  playlistSize: { kind: "integer", min: 1, max: 100, step: 1, default: 30, description: "Songs per playlist" },
  artistCap: { kind: "integer", min: 1, max: 30, step: 1, default: 2, description: "At most this many tracks by one artist" },
  knownArtistShare: { kind: "number", min: 0, max: 1, step: 0.05, default: 0.3, description: "Largest share by artists the listener already plays" },
  diversity: {
    kind: "number",
    min: 0,
    max: 1,
    step: 0.05,
    default: 0.2,
    description: "Maximal-marginal-relevance trade-off (0 = pure score, 1 = pure diversity)",
  },
  excludeSkipped: { kind: "boolean", default: true, description: "Leave out tracks the listener skipped or disliked, and artists they disliked" },
  explorationSlots: {
    kind: "integer",
    min: 0,
    max: "playlistSize",
    step: 1,
    default: 3,
    description: "Slots of each playlist drawn at random from the blend's wider candidate pool, with logged probabilities",
  },
} as const satisfies { readonly [K in keyof BlendConstraints]-?: ConstraintSpec };

export type ConstraintName = keyof typeof BLEND_CONSTRAINTS;

export const defaultBlendWeights: BlendWeights = Object.fromEntries(BLEND_WEIGHTS.map((w) => [w.name, w.default])) as BlendWeights;

export const defaultBlendConstraints: BlendConstraints = {
  playlistSize: BLEND_CONSTRAINTS.playlistSize.default,
  artistCap: BLEND_CONSTRAINTS.artistCap.default,
  knownArtistShare: BLEND_CONSTRAINTS.knownArtistShare.default,
  diversity: BLEND_CONSTRAINTS.diversity.default,
  excludeSkipped: BLEND_CONSTRAINTS.excludeSkipped.default,
  explorationSlots: BLEND_CONSTRAINTS.explorationSlots.default,
};

/** A weight or constraint out of its range; `field` names it as the API does ("weights.text", "constraints.artistCap"). */
export class BlendFieldError extends RangeError {
  override name = "BlendFieldError";
  constructor(
    readonly field: string,
    /** What is wrong, without the field name ("must be a number 0..10, got -1"). */
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

function checkWeight(spec: WeightSpec, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < spec.min || value > spec.max) {
    throw new BlendFieldError(`weights.${spec.name}`, `must be a number ${spec.min}..${spec.max}, got ${String(value)}`);
  }
  return value;
}

function checkConstraint(name: ConstraintName, value: unknown, playlistSize: number): number | boolean {
  const spec: ConstraintSpec = BLEND_CONSTRAINTS[name];
  const field = `constraints.${name}`;
  if (spec.kind === "boolean") {
    if (typeof value !== "boolean") throw new BlendFieldError(field, `must be true or false, got ${String(value)}`);
    return value;
  }
  const max = spec.max === "playlistSize" ? playlistSize : spec.max;
  const number = typeof value === "number" ? value : NaN;
  const integer = spec.kind === "integer";
  if ((integer && !Number.isInteger(number)) || !(number >= spec.min && number <= max)) {
    const range = spec.max === "playlistSize" ? `${spec.min}..playlistSize (${playlistSize})` : `${spec.min}..${max}`;
    throw new BlendFieldError(field, `must be ${integer ? "an integer " : ""}${range}, got ${String(value)}`);
  }
  return number;
}

/** Throws a BlendFieldError naming the first weight or constraint out of its range. */
export function validateBlend(weights: BlendWeights, constraints: BlendConstraints): void {
  for (const spec of BLEND_WEIGHTS) checkWeight(spec, weights[spec.name]);
  for (const name of Object.keys(BLEND_CONSTRAINTS) as ConstraintName[]) {
    // explorationSlots may be left out: the engine then uses the default.
    if (name === "explorationSlots" && constraints.explorationSlots == null) continue;
    checkConstraint(name, constraints[name], constraints.playlistSize);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Blend weights read from stored JSON, checked field by field; keys that are not sources are
 * dropped, and a source added since the blend was saved reads as its `absentAs`.
 */
export function parseBlendWeights(value: unknown): BlendWeights {
  if (!isRecord(value)) throw new BlendFieldError("weights", `must be an object, got ${JSON.stringify(value)}`);
  const absentAs = (spec: WeightSpec) => (value[spec.name] === undefined ? spec.absentAs : undefined);
  return Object.fromEntries(BLEND_WEIGHTS.map((spec) => [spec.name, checkWeight(spec, value[spec.name] ?? absentAs(spec))])) as BlendWeights;
}

/**
 * Blend constraints read from stored JSON, checked field by field; explorationSlots left out
 * (a version saved before exploration existed) reads as its default.
 */
export function parseBlendConstraints(value: unknown): BlendConstraints {
  if (!isRecord(value)) throw new BlendFieldError("constraints", `must be an object, got ${JSON.stringify(value)}`);
  const playlistSize = checkConstraint("playlistSize", value.playlistSize, 0) as number;
  return {
    playlistSize,
    artistCap: checkConstraint("artistCap", value.artistCap, playlistSize) as number,
    knownArtistShare: checkConstraint("knownArtistShare", value.knownArtistShare, playlistSize) as number,
    diversity: checkConstraint("diversity", value.diversity, playlistSize) as number,
    excludeSkipped: checkConstraint("excludeSkipped", value.excludeSkipped, playlistSize) as boolean,
    explorationSlots: checkConstraint("explorationSlots", value.explorationSlots ?? BLEND_CONSTRAINTS.explorationSlots.default, playlistSize) as number,
  };
}
