export * from "./normalize.ts";
export * from "./mmr.ts";
export { evaluateBlendLastfm, type BlendEvalOptions, type BlendEvalResult } from "./eval-lastfm.ts";
