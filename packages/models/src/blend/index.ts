export * from "./normalize.ts";
export * from "./mmr.ts";
export { evaluateBlendLastfm, type BlendEvalOptions, type BlendEvalResult, type BlendEvalRow, type BlendWeightsChoice } from "./eval-lastfm-sources.ts";
