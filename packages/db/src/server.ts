import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { embeddedDataDir } from "./database.ts";
import { readLock } from "./lock.ts";

export interface EmbeddedServer {
  port: number;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded database behind a PostgreSQL wire-protocol socket in a child process,
 * so the API's event loop never waits on PGlite and other processes (the CLI) can share it.
 * Resolves once the child owns the data directory and listens.
 */
export async function startEmbeddedServer(home: string, options: { port?: number } = {}): Promise<EmbeddedServer> {
  const dataDir = embeddedDataDir(home);
  const owner = readLock(dataDir);
  if (owner?.mode === "server" && owner.port) {
    throw new Error(`the embedded database in ${dataDir} is already served by process ${owner.pid} on port ${owner.port}`);
  }
  // Compiled to dist/ (production), the child is plain JavaScript; from src/ it runs through tsx.
  const compiled = import.meta.url.endsWith(".js");
  const entry = fileURLToPath(new URL(compiled ? "./server-main.js" : "./server-main.ts", import.meta.url));
  const child: ChildProcess = fork(entry, [dataDir, String(options.port ?? 0)], {
    execArgv: compiled ? [] : ["--import", import.meta.resolve("tsx")],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { ready?: boolean; port?: number; error?: string }) => {
      if (m.ready && m.port) resolve(m.port);
      else reject(new Error(m.error ?? "embedded database server failed to start"));
    });
    child.once("exit", (code) => reject(new Error(`embedded database server exited with code ${code} before it was ready`)));
  });
  let stopped: Promise<void> | null = null;
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    pid: child.pid!,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        if (child.connected) child.send({ stop: true });
        else child.kill("SIGTERM");
      });
      return stopped;
    },
  };
}
