export * from "./split.ts";
export * from "./metrics.ts";
export * from "./evaluate-model.ts";
export * from "./csv-export.ts";
export * from "./cf-eval.ts";
export * from "./ease-eval.ts";
export * from "./neighbours.ts";
