#!/usr/bin/env node
// The `deepcuts-worker` command. Sources are TypeScript, run through tsx without a build step.
import { register } from "tsx/esm/api";

process.env.DOTENV_CONFIG_QUIET ??= "true";
register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
