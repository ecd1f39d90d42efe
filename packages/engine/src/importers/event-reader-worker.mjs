// Worker entry. Compiled (dist/, production) it loads the JavaScript beside it; from src/ it
// registers tsx so the TypeScript worker loads the same way under vitest and the CLI.
import { existsSync } from "node:fs";

const compiled = new URL("./event-reader-worker.js", import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./event-reader-worker.ts");
}
