export * from "./shared-data.ts";
export * from "./tsv.ts";
export * from "./lastfm2k.ts";
