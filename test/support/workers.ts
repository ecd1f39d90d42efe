import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const workerBin = resolve(root, "apps/worker/bin/deepcuts-worker.mjs");
export const cliBin = resolve(root, "apps/api/bin/deepcuts.mjs");

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** `host:pid`, as it signs the jobs it runs. */
  owner: string;
  log(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts a real `deepcuts-worker` process on `databaseUrl`; resolves once it says it is ready. */
export async function startWorkerProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [workerBin], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, DEEPCUTS_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const owner = await new Promise<string>((resolvePromise, reject) => {
    const onData = () => {
      const m = /worker ready: (\S+)/.exec(log);
      if (m) resolvePromise(m[1]);
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited with code ${code} before it was ready:\n${log}`)));
  });
  return {
    child,
    pid: child.pid!,
    owner,
    log: () => log,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        child.once("exit", () => r());
        child.kill("SIGTERM");
      }),
  };
}
