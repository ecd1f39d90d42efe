export * from "./normalize.ts";
export * from "./mmr.ts";
