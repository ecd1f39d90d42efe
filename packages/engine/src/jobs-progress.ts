import type { Database } from "@deepcuts/db";

export type JobKindName = "TRAIN" | "GENERATE" | "ANALYZE" | "IMPORT";

/**
 * Runs `work` as a recorded job: a `jobs` row that goes RUNNING -> SUCCEEDED/FAILED, with its
 * progress (done, total, message) written at most once a second, so the dashboard and
 * `deepcuts status` can follow long work.
 */
export async function runRecordedJob<T>(
  db: Database,
  kind: JobKindName,
  params: object,
  work: (progress: (message: string, done: number, total: number) => void) => Promise<T>,
): Promise<T> {
  const [{ id }] = await db.query<{ id: number }>(
    `INSERT INTO jobs (kind, status, params, started_at) VALUES ($1::text::"JobKind", 'RUNNING', $2::jsonb, now()) RETURNING id`,
    [kind, JSON.stringify(params)],
  );
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const progress = (message: string, done: number, total: number) => {
    const now = Date.now();
    if (now - last < 1000 && done < total) return;
    last = now;
    pending = pending.then(() => db.query(`UPDATE jobs SET done = $2, total = $3, message = $4 WHERE id = $1`, [id, done, total, message]).catch(() => {}));
  };
  try {
    const result = await work(progress);
    await pending;
    await db.query(`UPDATE jobs SET status = 'SUCCEEDED', finished_at = now(), result = $2::jsonb, done = greatest(done, total) WHERE id = $1`, [id, JSON.stringify(result ?? null)]);
    return result;
  } catch (error) {
    await pending;
    const cancelled = (error as Error).name === "CancelledError";
    await db.query(`UPDATE jobs SET status = $2::text::"JobStatus", finished_at = now(), error = $3 WHERE id = $1`, [id, cancelled ? "CANCELLED" : "FAILED", (error as Error).message]);
    throw error;
  }
}
