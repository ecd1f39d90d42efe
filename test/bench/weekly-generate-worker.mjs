// Worker entry: registers tsx so the TypeScript worker loads (as score-worker.mjs does).
import { register } from "tsx/esm/api";

register();
await import("./weekly-generate-worker.ts");
