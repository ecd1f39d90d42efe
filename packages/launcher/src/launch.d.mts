/** Whether tsx can be loaded (it is a dev dependency: gone after `npm prune --omit=dev`). */
export function tsxInstalled(): boolean;
/** Which code a command runs: "compiled" (dist/) when NODE_ENV is production or tsx is absent, otherwise "source" (src/ through tsx). */
export function launchMode(env: NodeJS.ProcessEnv, hasTsx: boolean): "compiled" | "source";
/** Loads the command's entry module (compiled or source) and runs its `main(argv)`; its answer becomes the exit code. */
export function launch(entry: { command: string; compiled: URL; source: URL; argv?: string[] }): Promise<void>;
