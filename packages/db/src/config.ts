import { resolve } from "node:path";

/** Where the database lives, read once from the environment (the only place that reads it). */
export interface DatabaseConfig {
  /** postgresql://... of a real PostgreSQL server; null means the embedded PGlite database. */
  databaseUrl: string | null;
  /** Folder of the embedded database and other local state ($DEEPCUTS_HOME, default ./data). */
  home: string;
}

export function databaseConfig(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim() || null;
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`DATABASE_URL must start with postgresql://, got '${url.replace(/\/\/[^@]*@/, "//***@")}'`);
  }
  return { databaseUrl: url, home: resolve(env.DEEPCUTS_HOME?.trim() || "data") };
}

/** The integer setting `name` of `env` in min..max, `fallback` when unset or blank; otherwise an error naming it. */
export function integerFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer ${min}..${max}, got '${raw}'`);
  return n;
}
