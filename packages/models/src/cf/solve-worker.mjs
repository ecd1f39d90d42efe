// Worker entry: registers tsx so the TypeScript worker loads the same way under vitest and the CLI.
import { register } from "tsx/esm/api";

register();
await import("./solve-worker.ts");
