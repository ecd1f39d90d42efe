// Worker entry: registers tsx so the TypeScript load loop runs under both vitest and node.
import { register } from "tsx/esm/api";
register();
await import("./api-load-worker.ts");
