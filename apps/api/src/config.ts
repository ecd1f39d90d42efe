import { cpus } from "node:os";
import { resolve } from "node:path";
import { databaseConfig, integerFromEnv, type DatabaseConfig } from "@deepcuts/db";

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
  /** What the API exposes to clients and how much it accepts (see docs/security.md). */
  http: HttpConfig;
}

/** Who may use a schema-revealing feature (introspection, "Did you mean" suggestions). */
export type Exposure = "everyone" | "keys" | "curators" | "nobody";

/**
 * The API's exposure and limits. DEEPCUTS_ENV=production (the default) is safe to deploy;
 * development restores the openness of local tinkering (any origin, introspection and
 * suggestions for everyone). Each setting can be overridden on its own.
 */
export interface HttpConfig {
  env: "production" | "development";
  /** Largest request body in bytes (DEEPCUTS_MAX_BODY_BYTES, default 1 MiB). */
  maxBodyBytes: number;
  /** Origins answered with Access-Control-Allow-Origin (DEEPCUTS_CORS_ORIGINS, comma-separated, or *). */
  corsOrigins: "*" | string[];
  /** Who may run introspection queries (DEEPCUTS_INTROSPECTION). */
  introspection: Exposure;
  /** Who gets "Did you mean ...?" in validation errors (DEEPCUTS_FIELD_SUGGESTIONS). */
  fieldSuggestions: Exposure;
  /** statement_timeout of the API's database work on PostgreSQL, ms; 0 = none (DEEPCUTS_STATEMENT_TIMEOUT_MS, default 5000). */
  statementTimeoutMs: number;
  /** GET /ready fails when the database does not answer within this many ms (DEEPCUTS_READY_TIMEOUT_MS, default 1000). */
  readyTimeoutMs: number;
  /** How long a found API key is reused without a lookup, ms; 0 = look up every request (DEEPCUTS_KEY_CACHE_MS, default 2000). */
  keyCacheMs: number;
  /** Memory for the server's cache of whole answers, MiB; 0 = off (DEEPCUTS_RESPONSE_CACHE_MB, default 64; graphql/response-cache.ts). */
  responseCacheMb: number;
}

const EXPOSURES: readonly Exposure[] = ["everyone", "keys", "curators", "nobody"];

function exposure(env: NodeJS.ProcessEnv, name: string, fallback: Exposure): Exposure {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!EXPOSURES.includes(raw as Exposure)) throw new Error(`${name} must be one of ${EXPOSURES.join(", ")}, got '${env[name]}'`);
  return raw as Exposure;
}

function corsOrigins(env: NodeJS.ProcessEnv, fallback: "*" | string[]): "*" | string[] {
  const raw = env.DEEPCUTS_CORS_ORIGINS?.trim();
  if (!raw) return fallback;
  if (raw === "*") return "*";
  return raw
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new Error(`DEEPCUTS_CORS_ORIGINS must list origins such as https://dashboard.example.org, got '${origin}'`);
      }
      if (url.origin !== origin.replace(/\/$/, "")) throw new Error(`DEEPCUTS_CORS_ORIGINS entries are bare origins (scheme, host, port), got '${origin}'`);
      return url.origin;
    });
}

/** The API's HTTP settings from the environment (validated; see HttpConfig for the variables). */
export function httpConfig(env: NodeJS.ProcessEnv = process.env): HttpConfig {
  const rawEnv = env.DEEPCUTS_ENV?.trim().toLowerCase() || "production";
  if (rawEnv !== "production" && rawEnv !== "development") throw new Error(`DEEPCUTS_ENV must be production or development, got '${env.DEEPCUTS_ENV}'`);
  const development = rawEnv === "development";
  const dashboardPort = port(env, "DEEPCUTS_DASHBOARD_PORT", 3000);
  return {
    env: rawEnv,
    maxBodyBytes: integerFromEnv(env, "DEEPCUTS_MAX_BODY_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    // The dashboard calls the API from its server, so a browser origin is needed only for
    // pages that call the API directly; by default only the dashboard's own origin may.
    corsOrigins: corsOrigins(env, development ? "*" : [`http://127.0.0.1:${dashboardPort}`, `http://localhost:${dashboardPort}`]),
    introspection: exposure(env, "DEEPCUTS_INTROSPECTION", development ? "everyone" : "curators"),
    fieldSuggestions: exposure(env, "DEEPCUTS_FIELD_SUGGESTIONS", development ? "everyone" : "keys"),
    statementTimeoutMs: integerFromEnv(env, "DEEPCUTS_STATEMENT_TIMEOUT_MS", 5000, 0, 3_600_000),
    readyTimeoutMs: integerFromEnv(env, "DEEPCUTS_READY_TIMEOUT_MS", 1000, 10, 60_000),
    keyCacheMs: integerFromEnv(env, "DEEPCUTS_KEY_CACHE_MS", 2000, 0, 60_000),
    responseCacheMb: integerFromEnv(env, "DEEPCUTS_RESPONSE_CACHE_MB", 64, 0, 64 * 1024),
  };
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
  return {
    database: databaseConfig(env),
    apiPort: port(env, "DEEPCUTS_API_PORT", 4000),
    dashboardPort: port(env, "DEEPCUTS_DASHBOARD_PORT", 3000),
    dataDir: resolve(env.DEEPCUTS_DATA_DIR ?? "../shared/data"),
    threads: integerFromEnv(env, "DEEPCUTS_THREADS", cpus().length, 1, 256),
    cursorSecret: cursorSecret(env),
    http: httpConfig(env),
  };
}
