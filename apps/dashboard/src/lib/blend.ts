import { BLEND_SOURCES, type BlendSource } from "@deepcuts/models/blend/weights";
import type { BlendConfigFieldsFragment, BlendConstraintsInput, BlendWeightsInput } from "./generated/graphql.ts";

/** Blend settings as the API's BlendConfig carries them (generated from src/graphql/blend.graphql). */
/** Every weight set: the input lets a client leave a newer source (coMention) out, the editor never does. */
export type BlendWeights = { [K in keyof BlendWeightsInput]-?: number };
export type BlendConstraints = BlendConstraintsInput;
export type BlendConfig = BlendConfigFieldsFragment;

/** The blend's sources, from the one list the API and the engine use (packages/models/src/blend/weights.ts). */
export const WEIGHT_NAMES: readonly (BlendSource & keyof BlendWeights)[] = BLEND_SOURCES;

/** One colour per model, shared by the sliders, the contribution bars and their legend. */
export const MODEL_COLOURS: Record<BlendSource, string> = {
  collaborative: "#1f6f5c",
  text: "#7a4fb3",
  audio: "#d9822b",
  coMention: "#8a6d1f",
  popularity: "#3a78c2",
  novelty: "#c2418a",
};
