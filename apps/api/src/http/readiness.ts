import type { Database } from "@deepcuts/db";

export interface Readiness {
  ready: boolean;
  database: string;
  /** How long the database took to answer, ms (null when it did not answer in time). */
  latencyMs: number | null;
  error?: { code: "DATABASE_TIMEOUT" | "DATABASE_UNAVAILABLE"; message: string };
}

/**
 * Readiness (GET /ready): the database answers a trivial query within `budgetMs`. Liveness is
 * the `health` query, which does not touch the database. A database held by a long statement
 * (or gone) makes the API not ready, so a load balancer stops sending it traffic.
 */
export async function checkReadiness(db: Database, budgetMs: number): Promise<Readiness> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), budgetMs)));
  // Settles either way, so a query that fails after the budget ran out rejects nothing unhandled.
  const probe = db.query("SELECT 1 AS ok").then(
    () => "ok" as const,
    () => "failed" as const,
  );
  const answer = await Promise.race([probe, timeout]);
  clearTimeout(timer);
  if (answer === "ok") return { ready: true, database: db.target, latencyMs: Math.round(performance.now() - started) };
  if (answer === "timeout")
    return {
      ready: false,
      database: db.target,
      latencyMs: null,
      error: { code: "DATABASE_TIMEOUT", message: `the database did not answer within ${budgetMs} ms` },
    };
  return { ready: false, database: db.target, latencyMs: null, error: { code: "DATABASE_UNAVAILABLE", message: "the database refused the query" } };
}
