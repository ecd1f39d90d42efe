/** Everything the dashboard reads from the environment, validated in one place. */
export interface DashboardConfig {
  /** The GraphQL API the dashboard talks to (DEEPCUTS_API_URL, default http://127.0.0.1:4000/). */
  apiUrl: string;
  /** Milliseconds before a call to the API counts as "not answering" (DEEPCUTS_API_TIMEOUT_MS, default 10000). */
  apiTimeoutMs: number;
}

function readConfig(env: NodeJS.ProcessEnv): DashboardConfig {
  const rawUrl = env.DEEPCUTS_API_URL || "http://127.0.0.1:4000/";
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`DEEPCUTS_API_URL must be an http(s) URL, got '${rawUrl}'`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`DEEPCUTS_API_URL must use http or https, got '${url.protocol}'`);
  const rawTimeout = env.DEEPCUTS_API_TIMEOUT_MS ?? "10000";
  const apiTimeoutMs = Number(rawTimeout);
  if (!Number.isInteger(apiTimeoutMs) || apiTimeoutMs < 100 || apiTimeoutMs > 600_000) {
    throw new Error(`DEEPCUTS_API_TIMEOUT_MS must be an integer 100..600000, got '${rawTimeout}'`);
  }
  return { apiUrl: url.toString(), apiTimeoutMs };
}

let cached: DashboardConfig | null = null;

/** Read at request time, not build time, so one build serves any API address. */
export function dashboardConfig(): DashboardConfig {
  cached ??= readConfig(process.env);
  return cached;
}
