import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const dashboardDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../dashboard");

function nextBin(): string {
  return join(dirname(createRequire(join(dashboardDir, "package.json")).resolve("next/package.json")), "dist/bin/next");
}

const env = (extra: Record<string, string>) => ({ ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", ...extra });

/** True when a production build exists (apps/dashboard/.next/BUILD_ID). */
export function dashboardIsBuilt(): boolean {
  return existsSync(join(dashboardDir, ".next", "BUILD_ID"));
}

/** Runs `next build` in the background; resolves when it finishes, with its log on failure. */
export function buildDashboard(): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [nextBin(), "build"], { cwd: dashboardDir, env: env({}), stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("exit", (code) => (code === 0 ? resolvePromise() : reject(new Error(`dashboard build failed (exit ${code}):\n${log.slice(-4000)}`))));
  });
}

export interface RunningDashboard {
  url: string;
  stop(): Promise<void>;
}

/** Starts `next start` on `port`, pointing the dashboard at the API. */
export async function startDashboard(port: number, apiUrl: string): Promise<RunningDashboard> {
  const child: ChildProcess = spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dashboardDir,
    env: env({ DEEPCUTS_API_URL: apiUrl }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolvePromise, reject) => {
    let log = "";
    const onData = (d: Buffer) => {
      log += d.toString();
      if (/Ready in|started server on|Local:/.test(log)) resolvePromise();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`dashboard exited with code ${code}:\n${log.slice(-2000)}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once("exit", () => r());
        child.kill("SIGTERM");
      }),
  };
}
