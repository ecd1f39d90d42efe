import { randomUUID } from "node:crypto";
import type { Database } from "@deepcuts/db";
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
