export * from "./shared-data.ts";
