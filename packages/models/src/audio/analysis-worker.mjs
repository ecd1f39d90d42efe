// Worker entry. Compiled (dist/, production) it loads the JavaScript beside it; from src/ it
// registers tsx so the TypeScript worker loads under vitest and the CLI alike.
import { existsSync } from "node:fs";

const compiled = new URL("./analysis-worker.js", import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./analysis-worker.ts");
}
