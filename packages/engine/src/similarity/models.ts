import type { ModelKindName } from "../training/model-versions.ts";

/** The similarity models: each single model, and their blend. */
export const SIMILARITY_MODELS = ["COLLABORATIVE", "TEXT", "AUDIO", "CO_MENTION", "BLEND"] as const;
export type SimilarityModel = (typeof SIMILARITY_MODELS)[number];
export type SingleModel = Exclude<SimilarityModel, "BLEND">;
export type EntityKindName = "USER" | "ARTIST" | "TRACK";

/** The stored model kinds behind each similarity model, preferred first. */
export const MODEL_KINDS: Record<SingleModel, ModelKindName[]> = {
  COLLABORATIVE: ["ALS", "LMF"],
  TEXT: ["TEXT"],
  AUDIO: ["AUDIO_CNN", "AUDIO_FEATURES"],
  // Artists only: articles name artists, not tracks.
  CO_MENTION: ["CO_MENTION"],
};

export const SINGLE_MODELS: SingleModel[] = ["COLLABORATIVE", "TEXT", "AUDIO", "CO_MENTION"];

/**
 * The blend weight that scales each model in BLEND similarity; null for a model the blend has
 * no weight for (it then takes no part in BLEND).
 */
export const BLEND_WEIGHT_OF: Record<SingleModel, "collaborative" | "text" | "audio" | "coMention" | null> = {
  COLLABORATIVE: "collaborative",
  TEXT: "text",
  AUDIO: "audio",
  CO_MENTION: "coMention",
};
