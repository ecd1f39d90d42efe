// Worker entry: registers tsx so the TypeScript worker loads (as packages/models/src/cf/solve-worker.mjs does).
import { register } from "tsx/esm/api";

register();
await import("./score-worker.ts");
