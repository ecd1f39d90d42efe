/** What the vector map can be coloured by: one attribute of each projected point. */
export const COLOUR_BY = ["genre", "tag", "tempo", "key", "coldStart"] as const;
export type ColourBy = (typeof COLOUR_BY)[number];

export const COLOUR_BY_LABEL: Record<ColourBy, string> = { genre: "genre", tag: "tag", tempo: "tempo", key: "key", coldStart: "cold start" };

/** The ProjectedPoint fields each colouring reads. */
export const COLOUR_FIELDS: Record<ColourBy, string[]> = {
  genre: ["genre"],
  tag: ["topTag"],
  tempo: ["tempo"],
  key: ["key", "mode"],
  coldStart: ["coldStart"],
};

/**
 * The Vectors map's projection with every colouring's fields (test/browser/dashboard-lib.test.ts
 * checks it against apps/api/schema.graphql, as the generated documents are checked).
 */
export const PROJECTION_QUERY = `query Projection($model: SimilarityModel!, $method: ProjectionMethod!, $sample: Int!) {
  vectorProjection(model: $model, method: $method, sample: $sample, entity: TRACK) { versionId explainedVariance points { id label ${[...new Set(Object.values(COLOUR_FIELDS).flat())].join(" ")} x y } }
}`;

export function pickColourBy(raw: string | undefined): ColourBy {
  return COLOUR_BY.find((c) => c.toLowerCase() === raw?.toLowerCase()) ?? "genre";
}

export interface ColourablePoint {
  genre: string | null;
  topTag?: string | null;
  tempo?: number | null;
  key?: string | null;
  mode?: string | null;
  coldStart?: boolean;
}

export interface LegendEntry {
  label: string;
  colour: string;
  count: number;
}

export interface Colouring {
  colourOf(point: ColourablePoint): string;
  /** Text for a point's tooltip: its value under this colouring. */
  valueOf(point: ColourablePoint): string;
  /** Categories (most common first, then "other", then the points without a value). */
  legend: LegendEntry[];
  /** Continuous colourings: the scale's ends, drawn as a gradient bar. */
  scale: { min: number; max: number; unit: string; gradient: string } | null;
}

/** Categorical palette; a category keeps its colour only within one map (they are ranked by count). */
export const PALETTE = ["#1f6f5c", "#3a78c2", "#d9822b", "#7a4fb3", "#c2418a", "#4f9d2d", "#b23a3a", "#2aa1b3", "#8c6d1f", "#e0b000"];
/** How many categories get their own colour; the rest share OTHER. */
export const MAX_CATEGORIES = PALETTE.length;
export const OTHER = "#8a939e";
export const MISSING = "#d3d7dc";
const COLD = "#d9822b";
const LISTENED = "#1f6f5c";

// Viridis at five stops (perceptually even, readable by most colour-blind viewers).
const VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

function hex(c: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
}

/** The colour at t in 0..1 along the viridis stops, linearly between neighbours. */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const [a, b] = [hex(VIRIDIS[i]), hex(VIRIDIS[i + 1])];
  const f = x - i;
  return `#${a
    .map((v, k) =>
      Math.round(v + (b[k] - v) * f)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

/** A key as musicians say it: "A minor"; null when not analysed. */
export function keyName(p: ColourablePoint): string | null {
  if (!p.key) return null;
  return p.mode ? `${p.key} ${p.mode}` : p.key;
}

/**
 * Categories ranked by how many points have them (ties by name); the MAX_CATEGORIES most
 * common get palette colours, the rest one "other" colour, points without a value a pale grey.
 */
export function categorical(values: (string | null)[], missingLabel: string): { colourOf: (v: string | null) => string; legend: LegendEntry[] } {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const own = new Map(ranked.slice(0, MAX_CATEGORIES).map(([v], i) => [v, PALETTE[i]]));
  const others = ranked.slice(MAX_CATEGORIES).reduce((n, [, c]) => n + c, 0);
  const legend: LegendEntry[] = ranked.slice(0, MAX_CATEGORIES).map(([label, count]) => ({ label, colour: own.get(label)!, count }));
  if (others > 0) legend.push({ label: `other (${ranked.length - MAX_CATEGORIES})`, colour: OTHER, count: others });
  if (missing > 0) legend.push({ label: missingLabel, colour: MISSING, count: missing });
  return { colourOf: (v) => (v === null ? MISSING : (own.get(v) ?? OTHER)), legend };
}

/** How to colour these points by `by`: a colour per point, and the legend that explains it. */
export function colouring(points: ColourablePoint[], by: ColourBy): Colouring {
  if (by === "tempo") {
    const tempos = points.map((p) => p.tempo ?? null).filter((t): t is number => t !== null);
    const min = tempos.length ? Math.min(...tempos) : 0;
    const max = tempos.length ? Math.max(...tempos) : 0;
    const missing = points.length - tempos.length;
    return {
      colourOf: (p) => (p.tempo == null ? MISSING : viridis(max > min ? (p.tempo - min) / (max - min) : 0.5)),
      valueOf: (p) => (p.tempo == null ? "tempo not analysed" : `${p.tempo.toFixed(0)} BPM`),
      legend: missing > 0 ? [{ label: "not analysed", colour: MISSING, count: missing }] : [],
      scale: tempos.length ? { min, max, unit: "BPM", gradient: `linear-gradient(90deg, ${VIRIDIS.join(", ")})` } : null,
    };
  }
  if (by === "coldStart") {
    const cold = points.filter((p) => p.coldStart).length;
    return {
      colourOf: (p) => (p.coldStart ? COLD : LISTENED),
      valueOf: (p) => (p.coldStart ? "cold start: no listens yet" : "listened to"),
      legend: [
        { label: "listened to", colour: LISTENED, count: points.length - cold },
        { label: "cold start (no listens)", colour: COLD, count: cold },
      ],
      scale: null,
    };
  }
  const read: Record<"genre" | "tag" | "key", (p: ColourablePoint) => string | null> = {
    genre: (p) => p.genre,
    tag: (p) => p.topTag ?? null,
    key: keyName,
  };
  const missingLabel = { genre: "no genre", tag: "no terms", key: "not analysed" }[by];
  const { colourOf, legend } = categorical(points.map(read[by]), missingLabel);
  return { colourOf: (p) => colourOf(read[by](p)), valueOf: (p) => read[by](p) ?? missingLabel, legend, scale: null };
}
