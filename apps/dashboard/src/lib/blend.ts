import type { BlendConfigFieldsFragment, BlendConstraintsInput, BlendWeightsInput } from "./generated/graphql.ts";

/** Blend settings as the API's BlendConfig carries them (generated from src/graphql/blend.graphql). */
export type BlendWeights = BlendWeightsInput;
export type BlendConstraints = BlendConstraintsInput;
export type BlendConfig = BlendConfigFieldsFragment;

export const WEIGHT_NAMES = ["collaborative", "text", "audio", "popularity", "novelty"] as const satisfies readonly (keyof BlendWeights)[];

/** One colour per model, shared by the sliders, the contribution bars and their legend. */
export const MODEL_COLOURS: Record<(typeof WEIGHT_NAMES)[number], string> = {
  collaborative: "#1f6f5c",
  text: "#7a4fb3",
  audio: "#d9822b",
  popularity: "#3a78c2",
  novelty: "#c2418a",
};
