import type { Database } from "@deepcuts/db";
import { createRecord } from "./jobs/records.ts";
import { runOwnedJob } from "./jobs/run.ts";

export type { JobKindName } from "./jobs/records.ts";
import type { JobKindName } from "./jobs/records.ts";

/**
 * Runs `work` in the foreground as a recorded job owned by this process: a `jobs` row that goes
 * RUNNING -> SUCCEEDED/FAILED/CANCELLED, with progress, heartbeat and the cancel flag (another
 * process may cancel it), so the dashboard and `deepcuts status` can follow long CLI work. If
 * this process dies, reconciliation marks it INTERRUPTED: running the command again resumes.
 */
export async function runRecordedJob<T>(
  db: Database,
  kind: JobKindName,
  params: object,
  work: (progress: (message: string, done: number, total: number) => void, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const id = await createRecord(db, { kind, params });
  const outcome = await runOwnedJob(db, id, work, { resumeNote: "run the command again to resume" });
  if (outcome.error) throw outcome.error;
  return outcome.result as T;
}
