import { cpus } from "node:os";
import { resolve } from "node:path";
import { databaseConfig, type DatabaseConfig } from "@deepcuts/db";

/** Everything the API and CLI read from the environment, validated in one place. */
export interface AppConfig {
  database: DatabaseConfig;
  /** GraphQL API port (DEEPCUTS_API_PORT, default 4000). */
  apiPort: number;
  /** Dashboard port (DEEPCUTS_DASHBOARD_PORT, default 3000). */
  dashboardPort: number;
  /** Real evaluation data ($DEEPCUTS_DATA_DIR, default ../shared/data). */
  dataDir: string;
  /** Worker threads for training and analysis (DEEPCUTS_THREADS, default: CPU count). */
  threads: number;
  /** Signs the API's page cursors (DEEPCUTS_CURSOR_SECRET, at least 16 characters); API replicas must share it. Random per process when unset. */
  cursorSecret: string | null;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number 0..65535, got '${raw}'`);
  return n;
}

function cursorSecret(env: NodeJS.ProcessEnv): string | null {
  const raw = env.DEEPCUTS_CURSOR_SECRET;
  if (raw === undefined || raw === "") return null;
  if (raw.length < 16) throw new Error(`DEEPCUTS_CURSOR_SECRET must be at least 16 characters, got ${raw.length}`);
  return raw;
}

export function appConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const threadsRaw = env.DEEPCUTS_THREADS;
  const threads = threadsRaw ? Number(threadsRaw) : cpus().length;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new Error(`DEEPCUTS_THREADS must be an integer 1..256, got '${threadsRaw}'`);
  }
  return {
    database: databaseConfig(env),
    apiPort: port(env, "DEEPCUTS_API_PORT", 4000),
    dashboardPort: port(env, "DEEPCUTS_DASHBOARD_PORT", 3000),
    dataDir: resolve(env.DEEPCUTS_DATA_DIR ?? "../shared/data"),
    threads,
    cursorSecret: cursorSecret(env),
  };
}
