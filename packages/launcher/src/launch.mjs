// Starts one of the Deepcuts commands (`deepcuts`, `deepcuts-worker`): each app's bin/ file names
// its entry module and calls launch(). In development the TypeScript sources run through tsx, with
// no build step; in production (NODE_ENV=production, or an install without dev dependencies,
// where tsx is absent) the compiled JavaScript in dist/ (`npm run build`) runs on plain Node.
// Plain JavaScript on purpose: it runs before tsx is registered, and in production without it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Whether tsx can be loaded from here (it is a dev dependency: gone after `npm prune --omit=dev`). */
export function tsxInstalled() {
  try {
    import.meta.resolve("tsx/esm/api");
    return true;
  } catch {
    return false;
  }
}

/**
 * Which code a command runs: "compiled" (dist/) when NODE_ENV is production or tsx is absent,
 * otherwise "source" (src/ through tsx).
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} hasTsx
 * @returns {"compiled" | "source"}
 */
export function launchMode(env, hasTsx) {
  return env.NODE_ENV === "production" || !hasTsx ? "compiled" : "source";
}

/**
 * Loads the command's entry module in the mode launchMode() picks and runs its
 * `main(argv): Promise<number>`, whose answer becomes the exit code. A missing compiled entry
 * ends the process with status 1 and says to build first.
 * @param {{ command: string; compiled: URL; source: URL; argv?: string[] }} entry
 * @returns {Promise<void>}
 */
export async function launch({ command, compiled, source, argv = process.argv.slice(2) }) {
  // Prisma's and natural's dotenv calls would otherwise print a line on every start.
  process.env.DOTENV_CONFIG_QUIET ??= "true";
  let main;
  if (launchMode(process.env, tsxInstalled()) === "compiled") {
    if (!existsSync(compiled)) {
      console.error(`${command}: ${fileURLToPath(compiled)} is missing: run \`npm run build\` first (production runs the compiled code)`);
      process.exit(1);
    }
    ({ main } = await import(compiled.href));
  } else {
    const { register } = await import("tsx/esm/api");
    register();
    ({ main } = await import(source.href));
  }
  process.exitCode = await main(argv);
}
