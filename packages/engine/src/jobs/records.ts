import type { Database } from "@deepcuts/db";
import { dueIn } from "../weekly/generate.ts";

export type JobKindName = "TRAIN" | "GENERATE" | "ANALYSE" | "IMPORT" | "SIMULATE" | "METRICS" | "CRAWL";
export type JobStatusName = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED" | "INTERRUPTED" | "DEAD_LETTER";

/** Statuses a job never leaves. */
export const FINISHED: readonly JobStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"];

/**
 * The visible record of a job (`jobs` table, GraphQL `Job`): what the dashboard and the CLI
 * read. pg-boss carries the work; this row carries what people see (progress, result, owner).
 * A run fanned out into shards reports the sum of its shards' progress.
 */
export interface JobRecord {
  id: number;
  kind: JobKindName;
  status: JobStatusName;
  params: unknown;
  done: number;
  total: number;
  message: string;
  result: unknown;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  parentId: number | null;
  owner: string | null;
  heartbeatAt: Date | null;
  cancelRequested: boolean;
  attempts: number;
  queueName: string | null;
  queueJobId: string | null;
  /** Number of shards (listener-range jobs) of a fanned-out run; 0 otherwise. */
  shards: number;
}

export const RECORD_SELECT = `
  SELECT j.id, j.kind::text AS kind, j.status::text AS status, j.params,
    CASE WHEN s.n > 0 THEN s.done ELSE j.done END AS done,
    CASE WHEN s.n > 0 THEN s.total ELSE j.total END AS total,
    j.message, j.result, j.error, j.created_at AS "createdAt", j.started_at AS "startedAt",
    j.finished_at AS "finishedAt", j.parent_id AS "parentId", j.owner, j.heartbeat_at AS "heartbeatAt",
    j.cancel_requested AS "cancelRequested", j.attempts, j.queue_name AS "queueName",
    j.queue_job_id AS "queueJobId", s.n AS shards
  FROM jobs j
  LEFT JOIN LATERAL (SELECT count(*)::int AS n, coalesce(sum(c.done), 0)::int AS done, coalesce(sum(c.total), 0)::int AS total
                     FROM jobs c WHERE c.parent_id = j.id) s ON true`;

export async function readRecord(db: Database, id: number): Promise<JobRecord | null> {
  const [row] = await db.query<JobRecord>(`${RECORD_SELECT} WHERE j.id = $1`, [id]);
  return row ?? null;
}

export async function createRecord(
  db: Pick<Database, "query">,
  input: { kind: JobKindName; params: object; parentId?: number | null; queueName?: string | null; total?: number; status?: JobStatusName },
): Promise<number> {
  const [{ id }] = await db.query<{ id: number }>(
    `INSERT INTO jobs (kind, status, params, parent_id, queue_name, total) VALUES ($1::text::"JobKind", $2::text::"JobStatus", $3::jsonb, $4, $5, $6) RETURNING id`,
    [input.kind, input.status ?? "QUEUED", JSON.stringify(input.params), input.parentId ?? null, input.queueName ?? null, input.total ?? 0],
  );
  return id;
}

/**
 * Takes the record for `owner`: RUNNING, one more attempt, a fresh heartbeat. Null when it may
 * not run: finished already, or cancelled while it waited (then it is marked CANCELLED here).
 */
export async function claimRecord(db: Database, id: number, owner: string): Promise<JobRecord | null> {
  const claimed = await db.query<{ id: number }>(
    `UPDATE jobs SET status = 'RUNNING', owner = $2, heartbeat_at = now(), attempts = attempts + 1,
       started_at = coalesce(started_at, now()), message = CASE WHEN attempts > 0 THEN 'resumed (attempt ' || (attempts + 1) || ')' ELSE 'started' END
     WHERE id = $1 AND NOT cancel_requested AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER')
       AND owner IS DISTINCT FROM 'shards'
       AND NOT (status = 'RUNNING' AND owner IS DISTINCT FROM $2 AND heartbeat_at > now() - interval '30 seconds')
     RETURNING id`,
    [id, owner],
  );
  if (claimed.length) return readRecord(db, id);
  await db.query(
    `UPDATE jobs SET status = 'CANCELLED', message = 'cancelled before it started', finished_at = now()
     WHERE id = $1 AND cancel_requested AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER')`,
    [id],
  );
  const row = await readRecord(db, id);
  if (row?.parentId) await settleParent(db, row.parentId);
  return null;
}

/** Writes progress, only while `owner` still holds the record. */
export async function writeProgress(db: Database, id: number, owner: string, message: string, done: number, total: number): Promise<void> {
  await db.query(`UPDATE jobs SET message = $4, done = $5, total = $6 WHERE id = $1 AND owner = $2 AND status = $3`, [
    id,
    owner,
    "RUNNING",
    message,
    done,
    total,
  ]);
}

/**
 * Ends a record `owner` holds (a process that lost it, declared gone by reconciliation, changes
 * nothing), then settles its run when it is a shard.
 */
export async function finishRecord(
  db: Database,
  id: number,
  owner: string,
  end: { status: JobStatusName; message: string; result?: unknown; error?: string | null },
): Promise<boolean> {
  const final = FINISHED.includes(end.status);
  const rows = await db.query<{ parent_id: number | null }>(
    `UPDATE jobs SET status = $3::text::"JobStatus", message = $4, result = coalesce($5::jsonb, result), error = $6,
       finished_at = CASE WHEN $7 THEN now() ELSE NULL END,
       done = CASE WHEN $3 = 'SUCCEEDED' THEN greatest(done, total) ELSE done END
     WHERE id = $1 AND owner = $2 AND status = 'RUNNING' RETURNING parent_id`,
    [id, owner, end.status, end.message, end.result === undefined ? null : JSON.stringify(end.result ?? null), end.error ?? null, final],
  );
  if (rows[0]?.parent_id) await settleParent(db, rows[0].parent_id);
  return rows.length > 0;
}

/** Marks a record finished whoever holds it (dead-letter queue, cancel of a waiting job). */
export async function forceFinish(db: Database, id: number, status: JobStatusName, message: string, error: string | null = null): Promise<void> {
  const rows = await db.query<{ parent_id: number | null }>(
    `UPDATE jobs SET status = $2::text::"JobStatus", message = $3, error = coalesce($4, error), finished_at = now()
     WHERE id = $1 AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER') RETURNING parent_id`,
    [id, status, message, error],
  );
  if (rows[0]?.parent_id) await settleParent(db, rows[0].parent_id);
}

/**
 * A run handed to its shards (a fanned-out weekly generation) ends once every shard has:
 * SUCCEEDED when all did, CANCELLED when any was cancelled, DEAD_LETTER when any exhausted its
 * retries. The run row is locked so that two shards finishing at once cannot both miss the last
 * one. A run whose owner still holds it (an audio analysis waiting on its batches to train the
 * audio model after them) is left to that owner.
 */
export async function settleParent(db: Database, parentId: number): Promise<void> {
  await db.transaction(async (query) => {
    const [run] = await query<{ status: string; owner: string | null; kind: string; params: { now?: string } | null }>(
      `SELECT status::text AS status, owner, kind::text AS kind, params FROM jobs WHERE id = $1 FOR UPDATE`,
      [parentId],
    );
    if (!run || FINISHED.includes(run.status as JobStatusName) || run.owner !== "shards") return;
    const [c] = await query<{ open: number; cancelled: number; dead: number; failed: number; n: number }>(
      `SELECT count(*) FILTER (WHERE status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER'))::int AS open,
              count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
              count(*) FILTER (WHERE status = 'DEAD_LETTER')::int AS dead,
              count(*) FILTER (WHERE status = 'FAILED')::int AS failed, count(*)::int AS n
       FROM jobs WHERE parent_id = $1`,
      [parentId],
    );
    if (c.n === 0 || c.open > 0) return;
    let status = c.dead > 0 ? "DEAD_LETTER" : c.failed > 0 ? "FAILED" : c.cancelled > 0 ? "CANCELLED" : "SUCCEEDED";
    let message =
      status === "SUCCEEDED"
        ? "done"
        : `${status.toLowerCase().replace("_", " ")}: ${c.cancelled} cancelled, ${c.dead} dead-lettered, ${c.failed} failed of ${c.n} shards`;
    if (status === "SUCCEEDED" && run.kind === "GENERATE") {
      const unmade = await verifyGeneration(query, parentId, run.params?.now);
      if (unmade === "requeued") return;
      if (unmade > 0) {
        status = "FAILED";
        message = `failed: ${unmade} listeners of its shards still have no playlist after their shards ran again`;
      }
    }
    const [sum] = await query<{ made: number }>(
      `SELECT coalesce(sum((result->>'made')::int), 0)::int AS made FROM jobs WHERE parent_id = $1 AND result IS NOT NULL`,
      [parentId],
    );
    await query(
      `UPDATE jobs SET status = $2::text::"JobStatus", message = $3, finished_at = now(),
         result = jsonb_build_object('shards', $4::int, 'made', $5::int) WHERE id = $1`,
      [parentId, status, message, c.n, sum.made],
    );
  });
}

/**
 * Before a weekly-generation run is declared done: every listener its shards covered must have
 * the week's playlist. A shard whose range still has listeners without one goes back to its
 * queue once (INTERRUPTED with no heartbeat: reconciliation sends it again within seconds, and
 * the shard makes only what is missing); "requeued" then, else the number still missing after
 * that second pass (0 when all is made).
 */
async function verifyGeneration(query: Database["query"], runId: number, now: string | undefined): Promise<number | "requeued"> {
  if (!now) return 0;
  const shards = await query<{ id: number; from: number; to: number; rechecked: boolean }>(
    `SELECT id, (params->>'from')::int AS "from", (params->>'to')::int AS "to", coalesce((params->>'rechecked')::boolean, false) AS rechecked
     FROM jobs WHERE parent_id = $1 ORDER BY (params->>'from')::int`,
    [runId],
  );
  if (shards.length === 0) return 0;
  const missing = await dueIn(query, new Date(now), { from: shards[0].from, to: shards[shards.length - 1].to });
  const short = new Map<number, number>();
  for (const id of missing) {
    const shard = shards.find((s) => id >= s.from && id <= s.to);
    if (shard) short.set(shard.id, (short.get(shard.id) ?? 0) + 1);
  }
  if (short.size === 0) return 0;
  const again = shards.filter((s) => short.has(s.id) && !s.rechecked);
  if (again.length === 0) return [...short.values()].reduce((a, b) => a + b, 0);
  for (const s of again) {
    await query(
      `UPDATE jobs SET status = 'INTERRUPTED', heartbeat_at = NULL, finished_at = NULL, params = params || '{"rechecked": true}'::jsonb,
         message = $2 WHERE id = $1 AND status = 'SUCCEEDED'`,
      [s.id, `re-queued: ${short.get(s.id)} listeners of its range had no playlist after it succeeded`],
    );
  }
  return "requeued";
}
