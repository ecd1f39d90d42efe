import type { Database } from "@deepcuts/db";
import { enqueueJob } from "../jobs/enqueue.ts";
import type { CrawlParams } from "../jobs/handlers.ts";
import { readRecord, type JobRecord } from "../jobs/records.ts";

/** Queues a CRAWL job, or returns the one already queued or running (two crawls would only race each other's hosts). */
export async function startCrawl(db: Database, params: CrawlParams = {}): Promise<JobRecord> {
  const [inFlight] = await db.query<{ id: number }>(`SELECT id FROM jobs WHERE kind = 'CRAWL' AND status IN ('QUEUED', 'RUNNING') ORDER BY id DESC LIMIT 1`);
  if (inFlight) {
    const record = await readRecord(db, inFlight.id);
    if (record) return record;
  }
  return enqueueJob(db, "CRAWL", params);
}

/** The daily scheduled crawl: only when a site is enabled. */
export async function startScheduledCrawl(db: Database): Promise<JobRecord | null> {
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM crawl_sites WHERE enabled`);
  return n > 0 ? startCrawl(db) : null;
}
