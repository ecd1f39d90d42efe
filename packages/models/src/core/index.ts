export * from "./matrix.ts";
export * from "./random.ts";
export * from "./id-index.ts";
export * from "./errors.ts";
export * from "./topk.ts";
export * from "./standardise.ts";
export * from "./whitening.ts";
export { dot, normaliseRows } from "./vector.ts";
