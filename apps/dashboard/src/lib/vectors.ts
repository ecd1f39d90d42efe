/** Similarity spaces the API serves (its SimilarityModel enum). */
export const SIMILARITY_MODELS = ["COLLABORATIVE", "TEXT", "AUDIO", "BLEND"] as const;
export type SimilarityModel = (typeof SIMILARITY_MODELS)[number];

export const PROJECTION_METHODS = ["PCA", "UMAP"] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

export function pickModel(raw: string | undefined, fallback: SimilarityModel): SimilarityModel {
  return SIMILARITY_MODELS.find((m) => m === raw?.toUpperCase()) ?? fallback;
}

/** A fixed palette cycled over genres in sorted order, so a genre keeps its colour across pages. */
const PALETTE = ["#1f6f5c", "#3a78c2", "#d9822b", "#7a4fb3", "#c2418a", "#4f9d2d", "#b23a3a", "#2aa1b3", "#8c6d1f", "#5b6470", "#e0b000", "#6b3fa0"];

export function genreColours(genres: (string | null)[]): Map<string, string> {
  const names = [...new Set(genres.map((g) => g ?? "unknown"))].sort();
  return new Map(names.map((g, i) => [g, PALETTE[i % PALETTE.length]]));
}
