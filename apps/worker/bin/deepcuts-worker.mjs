#!/usr/bin/env node
// The `deepcuts-worker` command. In development the TypeScript sources run through tsx, with no build
// step; in production (NODE_ENV=production, or an install without dev dependencies, where tsx is
// absent) the compiled JavaScript in dist/ (`npm run build`) runs on plain Node.
import { existsSync } from "node:fs";

process.env.DOTENV_CONFIG_QUIET ??= "true";
const compiled = new URL("../dist/main.js", import.meta.url);
const hasTsx = () => {
  try {
    import.meta.resolve("tsx/esm/api");
    return true;
  } catch {
    return false;
  }
};
let main;
if (process.env.NODE_ENV === "production" || !hasTsx()) {
  if (!existsSync(compiled)) {
    console.error(`deepcuts-worker: ${compiled.pathname} is missing: run \`npm run build\` first (production runs the compiled code)`);
    process.exit(1);
  }
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
