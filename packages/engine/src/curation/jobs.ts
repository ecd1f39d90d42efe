import type { Database } from "@deepcuts/db";
import { invalid, missing } from "../service-error.ts";

export type JobKindName = "TRAIN" | "GENERATE" | "ANALYZE" | "IMPORT";
export type JobStatusName = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

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
}

export type Progress = (message: string, done: number, total: number) => void;

/** A job this process is running: its abort switch and the promise that settles when its row is final. */
interface LiveJob {
  controller: AbortController;
  run: Promise<void>;
}

const live = new Map<number, LiveJob>();
/** Jobs this process is running, by kind: a row left RUNNING by a crashed process blocks nothing. */
const activeByKind = new Map<JobKindName, number>();

/** Resolves once every job started in this process has finished (tests and shutdown). */
export async function settleJobs(): Promise<void> {
  while (live.size > 0) await Promise.all([...live.values()].map((j) => j.run));
}

/**
 * Creates a QUEUED job row and runs `work` after the current request has answered, never in
 * it. Progress is written at most twice a second; the row ends SUCCEEDED with the result,
 * FAILED with the error message, or CANCELLED when `cancelJob` aborted the signal `work` was
 * given and the work stopped (work that finishes regardless still ends SUCCEEDED).
 */
export async function startJob(
  db: Database,
  kind: JobKindName,
  params: object,
  work: (progress: Progress, signal: AbortSignal) => Promise<unknown>,
): Promise<JobRecord> {
  const row = await db.prisma.job.create({ data: { kind, params: params as object, status: "QUEUED" } });
  const id = row.id;
  const controller = new AbortController();
  const cancelled = (why: string) =>
    db.prisma.job.update({ where: { id }, data: { status: "CANCELLED", message: why, finishedAt: new Date() } });
  const run = (async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (controller.signal.aborted) {
      await cancelled("cancelled before it started");
      return;
    }
    await db.prisma.job.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date() } });
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const progress: Progress = (message, done, total) => {
      const now = Date.now();
      if (now - lastWrite < 500 || controller.signal.aborted) return;
      lastWrite = now;
      writing = writing.then(() => db.prisma.job.update({ where: { id }, data: { message, done, total } }).catch(() => {}));
    };
    try {
      const result = await work(progress, controller.signal);
      await writing;
      await db.prisma.job.update({ where: { id }, data: { status: "SUCCEEDED", result: JSON.parse(JSON.stringify(result ?? null)), message: "done", finishedAt: new Date() } });
    } catch (error) {
      await writing;
      if (controller.signal.aborted) await cancelled(`cancelled: ${(error as Error).message}`);
      else await db.prisma.job.update({ where: { id }, data: { status: "FAILED", error: (error as Error).message, finishedAt: new Date() } });
    }
  })().catch(() => {});
  live.set(id, { controller, run });
  activeByKind.set(kind, id);
  void run.finally(() => {
    live.delete(id);
    if (activeByKind.get(kind) === id) activeByKind.delete(kind);
  });
  return getJob(db, id);
}

const FINISHED: JobStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/**
 * Aborts a job this process is running and waits (up to `waitMs`) for its work to stop, so the
 * answer usually shows it CANCELLED. What the work had committed stays (a finished model
 * version, a batch of playlists); what it was in the middle of is rolled back or marked failed
 * by the work itself. Refuses, naming `id`, an unknown job, a finished one, and one another
 * process runs (CLI or background work), which this process cannot stop.
 */
export async function cancelJob(db: Database, id: number, waitMs = 10_000): Promise<JobRecord> {
  const job = live.get(id);
  if (!job) {
    const row = await db.prisma.job.findUnique({ where: { id }, select: { status: true } });
    if (!row) throw invalid("id", `there is no job ${id}`);
    if (FINISHED.includes(row.status as JobStatusName)) throw invalid("id", `job ${id} has already finished (${row.status})`);
    throw invalid("id", `job ${id} is ${row.status} in another process (the CLI, background work, or a server that stopped); only jobs started through this API can be cancelled`);
  }
  job.controller.abort();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([job.run, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  return getJob(db, id);
}

export async function getJob(db: Database, id: number): Promise<JobRecord> {
  const row = await db.prisma.job.findUnique({ where: { id } });
  if (!row) throw missing(`job ${id}`);
  return row as JobRecord;
}

/** Jobs, newest first. */
export async function listJobs(db: Database, input: { kind: JobKindName | null; status: JobStatusName | null; first: number; afterId: number | null }) {
  const where = { ...(input.kind ? { kind: input.kind } : {}), ...(input.status ? { status: input.status } : {}) };
  const [rows, totalCount] = await Promise.all([
    db.prisma.job.findMany({ where: { ...where, ...(input.afterId ? { id: { lt: input.afterId } } : {}) }, orderBy: { id: "desc" }, take: input.first + 1 }),
    db.prisma.job.count({ where }),
  ]);
  return { items: rows.slice(0, input.first) as JobRecord[], hasNextPage: rows.length > input.first, totalCount };
}

/** The job of this kind this process is running, if any (one training or generation at a time). */
export async function jobInFlight(db: Database, kind: JobKindName): Promise<JobRecord | null> {
  const id = activeByKind.get(kind);
  return id === undefined ? null : getJob(db, id);
}
