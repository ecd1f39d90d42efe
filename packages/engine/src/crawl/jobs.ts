import type { Database } from "@deepcuts/db";
import { enqueueUnlessInFlight, QUEUED_OR_RUNNING } from "../jobs/enqueue.ts";
import type { CrawlParams } from "../jobs/handlers.ts";
import type { JobRecord } from "../jobs/records.ts";

/** Queues a CRAWL job, or returns the one already queued or running (two crawls would only race each other's hosts). */
export async function startCrawl(db: Database, params: CrawlParams = {}): Promise<JobRecord> {
  return (await enqueueUnlessInFlight(db, "CRAWL", params, QUEUED_OR_RUNNING)).record;
}

/** The daily scheduled crawl: only when a site is enabled. */
export async function startScheduledCrawl(db: Database): Promise<JobRecord | null> {
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM crawl_sites WHERE enabled`);
  return n > 0 ? startCrawl(db) : null;
}
