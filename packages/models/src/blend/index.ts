export * from "./weights.ts";
export * from "./normalise.ts";
export * from "./mmr.ts";
export * from "./listener-history.ts";
export * from "./model-state.ts";
export * from "./exploration.ts";
export * from "./playlist.ts";
export { explain } from "./explain.ts";
export * from "./evaluate.ts";
export {
  evaluateBlendLastfm,
  blendAlsDefaults,
  blendBm25Defaults,
  blendEaseDefaults,
  type BlendEvalOptions,
  type BlendEvalResult,
  type BlendEvalRow,
  type BlendWeightsChoice,
} from "./eval-lastfm-sources.ts";
