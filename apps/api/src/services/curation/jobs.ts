import type { Database } from "@deepcuts/db";
import { missing } from "../service-error.ts";

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

const running = new Set<Promise<void>>();
/** Jobs this process is running, by kind: a row left RUNNING by a crashed process blocks nothing. */
const activeByKind = new Map<JobKindName, number>();

/** Resolves once every job started in this process has finished (tests and shutdown). */
export async function settleJobs(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}

/**
 * Creates a QUEUED job row and runs `work` after the current request has answered, never in
 * it. Progress is written at most twice a second; the row ends SUCCEEDED with the result or
 * FAILED with the error message.
 */
export async function startJob(db: Database, kind: JobKindName, params: object, work: (progress: Progress) => Promise<unknown>): Promise<JobRecord> {
  const row = await db.prisma.job.create({ data: { kind, params: params as object, status: "QUEUED" } });
  const id = row.id;
  const run = (async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await db.prisma.job.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date() } });
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const progress: Progress = (message, done, total) => {
      const now = Date.now();
      if (now - lastWrite < 500) return;
      lastWrite = now;
      writing = writing.then(() => db.prisma.job.update({ where: { id }, data: { message, done, total } }).catch(() => {}));
    };
    try {
      const result = await work(progress);
      await writing;
      await db.prisma.job.update({ where: { id }, data: { status: "SUCCEEDED", result: JSON.parse(JSON.stringify(result ?? null)), message: "done", finishedAt: new Date() } });
    } catch (error) {
      await writing;
      await db.prisma.job.update({ where: { id }, data: { status: "FAILED", error: (error as Error).message, finishedAt: new Date() } });
    }
  })().catch(() => {});
  running.add(run);
  activeByKind.set(kind, id);
  void run.finally(() => {
    running.delete(run);
    if (activeByKind.get(kind) === id) activeByKind.delete(kind);
  });
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
