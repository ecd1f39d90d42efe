// Worker entry: registers tsx so the TypeScript worker loads under vitest and the CLI alike.
import { register } from "tsx/esm/api";

register();
await import("./analysis-worker.ts");
