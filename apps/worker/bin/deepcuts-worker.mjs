#!/usr/bin/env node
// The `deepcuts-worker` command: the TypeScript sources through tsx in development, the compiled
// dist/ in production (NODE_ENV=production, or no tsx installed); see packages/launcher.
import { launch } from "@deepcuts/launcher";

await launch({ command: "deepcuts-worker", compiled: new URL("../dist/main.js", import.meta.url), source: new URL("../src/main.ts", import.meta.url) });
