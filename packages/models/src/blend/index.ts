export * from "./normalize.ts";
export * from "./mmr.ts";
export { TagScorer } from "./tag-scores.ts";
export { evaluateBlendLastfm, type BlendEvalOptions, type BlendEvalResult } from "./eval-lastfm.ts";
