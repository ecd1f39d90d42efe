/** Similarity spaces the API serves (its SimilarityModel enum). */
export const SIMILARITY_MODELS = ["COLLABORATIVE", "TEXT", "AUDIO", "BLEND"] as const;
export type SimilarityModel = (typeof SIMILARITY_MODELS)[number];

export const PROJECTION_METHODS = ["PCA", "UMAP"] as const;
export type ProjectionMethod = (typeof PROJECTION_METHODS)[number];

export function pickModel(raw: string | undefined, fallback: SimilarityModel): SimilarityModel {
  return SIMILARITY_MODELS.find((m) => m === raw?.toUpperCase()) ?? fallback;
}
