export * from "./split.ts";
export * from "./metrics.ts";
