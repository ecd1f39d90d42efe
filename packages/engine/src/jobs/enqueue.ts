import { randomUUID } from "node:crypto";
import type { Database } from "@deepcuts/db";
import type PgBoss from "pg-boss";
import { createRecord, readRecord, type JobKindName, type JobRecord } from "./records.ts";
import { jobQueueFor, QUEUES, SEND_OPTIONS } from "./queue.ts";

/** What a queued job's pg-boss payload holds: only the id of its visible record. */
export interface QueuePayload {
  recordId: number;
}

/**
 * Queues work for any worker: a QUEUED `jobs` record (what the dashboard shows) and a pg-boss
 * job that carries its id, with the kind's retry, backoff and expiry.
 */
export async function enqueueJob(db: Database, kind: JobKindName, params: object): Promise<JobRecord> {
  const boss = await jobQueueFor(db);
  const id = await createRecord(db, { kind, params, queueName: QUEUES.jobs });
  return sendRecord(db, boss, id, kind);
}

/** enqueueUnlessInFlight's `inFlight` for work of which one runs at a time anywhere: a job of kind $1 queued or running. */
export const QUEUED_OR_RUNNING = `SELECT id FROM jobs WHERE kind = $1::text::"JobKind" AND status IN ('QUEUED', 'RUNNING') ORDER BY id DESC LIMIT 1`;

/**
 * Queues work as enqueueJob does unless `inFlight` (SQL whose $1 is the kind) finds a job of that
 * kind in flight: then that job's record, not queued. Its callers race (API replicas, a second
 * click, every worker's cron tick, each `serve` at its start): checked apart from the insert,
 * all of them found none and each queued one, so the look and the new record are one
 * transaction under a lock per kind.
 */
export async function enqueueUnlessInFlight(
  db: Database,
  kind: JobKindName,
  params: object,
  inFlight: string,
): Promise<{ record: JobRecord; queued: boolean }> {
  const boss = await jobQueueFor(db);
  const found = await db.transaction(async (query) => {
    await query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`deepcuts.enqueue.${kind}`]);
    const [busy] = await query<{ id: number }>(inFlight, [kind]);
    if (busy) return { id: busy.id, queued: false };
    return { id: await createRecord({ query }, { kind, params, queueName: QUEUES.jobs }), queued: true };
  });
  if (!found.queued) return { record: (await readRecord(db, found.id))!, queued: false };
  return { record: await sendRecord(db, boss, found.id, kind), queued: true };
}

/** Sends record `id`'s pg-boss job (the record ends FAILED when it cannot be sent). */
async function sendRecord(db: Database, boss: PgBoss, id: number, kind: JobKindName): Promise<JobRecord> {
  try {
    const queueJobId = await boss.send(QUEUES.jobs, { recordId: id } satisfies QueuePayload, SEND_OPTIONS[kind]);
    await db.query(`UPDATE jobs SET queue_job_id = $2 WHERE id = $1`, [id, queueJobId]);
  } catch (error) {
    await db.query(`UPDATE jobs SET status = 'FAILED', error = $2, message = 'could not be queued', finished_at = now() WHERE id = $1`, [
      id,
      (error as Error).message,
    ]);
    throw error;
  }
  return (await readRecord(db, id))!;
}

/** Which queue carries a kind's shards: weekly-generation listener ranges, or audio-analysis track batches. */
export const SHARD_QUEUE: Partial<Record<JobKindName, string>> = { GENERATE: QUEUES.shards, ANALYSE: QUEUES.analysisShards };

/**
 * Queues a run's shards: their records (children of `runId` of the run's kind, with their
 * listener or track counts as totals) and pg-boss jobs, in batches.
 */
export async function enqueueShards(db: Database, runId: number, shards: object[], totals: number[], kind: "GENERATE" | "ANALYSE" = "GENERATE"): Promise<void> {
  const boss = await jobQueueFor(db);
  const queue = SHARD_QUEUE[kind]!;
  const queueIds = shards.map(() => randomUUID());
  const { retryLimit, retryDelay, retryBackoff, expireInSeconds } = SEND_OPTIONS.SHARD;
  const ids = await db.query<{ id: number; queue_job_id: string }>(
    `INSERT INTO jobs (kind, status, params, parent_id, queue_name, total, queue_job_id)
     SELECT $6::text::"JobKind", 'QUEUED', p, $1, $2, t, q FROM unnest($3::jsonb[], $4::int[], $5::text[]) AS s(p, t, q) RETURNING id, queue_job_id`,
    [runId, queue, shards.map((s) => JSON.stringify(s)), totals, queueIds, kind],
  );
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    await boss.insert(
      batch.map((r) => ({
        id: r.queue_job_id,
        name: queue,
        data: { recordId: r.id } satisfies QueuePayload,
        retryLimit,
        retryDelay,
        retryBackoff,
        expireInSeconds,
      })),
    );
  }
}
