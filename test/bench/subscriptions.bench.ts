// npm run bench:subscriptions [-- --jobs N --seconds S]
// How subscriptions learn about progress a worker process writes, on each database target:
// 1. whether PostgreSQL's LISTEN/NOTIFY reaches a listener on another connection (PostgreSQL,
//    in-process PGlite, PGlite behind its socket server as `deepcuts serve` runs it);
// 2. the cost of the polling the API does instead (ChangeWatcher: one read per interval while
//    anyone subscribes) with N finished jobs in the table and 3 in flight, and the delay from a
//    progress write on another connection to the watcher reporting it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { migrate, openPostgres, startEmbeddedServer, type Database } from "@deepcuts/db";
import { ChangeWatcher } from "@deepcuts/engine/jobs/watch.ts";
import { createTestDatabase, postgresUnavailable } from "../support/databases.ts";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "10000" }, seconds: { type: "string", default: "5" } } });
const JOBS = Number(values.jobs);
const SECONDS = Number(values.seconds);

/** Whether a NOTIFY on one connection reaches a LISTEN on another within a second. */
async function notifyAcrossConnections(url: string): Promise<boolean> {
  const listener = new pg.Client({ connectionString: url });
  const notifier = new pg.Client({ connectionString: url });
  await listener.connect();
  await notifier.connect();
  try {
    const got = new Promise<boolean>((resolve) => {
      listener.on("notification", (n) => n.channel === "deepcuts_probe" && resolve(true));
      setTimeout(() => resolve(false), 1000);
    });
    await listener.query("LISTEN deepcuts_probe");
    await notifier.query("NOTIFY deepcuts_probe, 'x'");
    // A listener only hears notifications when it reads from its socket: give it a query too.
    await listener.query("SELECT 1");
    return await got;
  } finally {
    await listener.end().catch(() => {});
    await notifier.end().catch(() => {});
  }
}

async function inProcessPglite(): Promise<boolean> {
  const db = new PGlite();
  const got = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000));
  let heard!: Promise<boolean>;
  await new Promise<void>((listening) => {
    heard = new Promise<boolean>((resolve) => void db.listen("deepcuts_probe", () => resolve(true)).then(() => listening()));
  });
  await db.query("NOTIFY deepcuts_probe, 'x'");
  const result = await Promise.race([heard, got]);
  await db.close();
  return result;
}

async function pollingCost(db: Database, writer: Database, label: string): Promise<void> {
  await db.query(
    `INSERT INTO jobs (kind, status, params, done, total, message, created_at, finished_at)
     SELECT 'TRAIN', 'SUCCEEDED', '{}', 10, 10, 'done', now(), now() FROM generate_series(1, $1)`,
    [JOBS],
  );
  const running = await db.query<{ id: number }>(
    `INSERT INTO jobs (kind, status, params, total, started_at) SELECT 'IMPORT', 'RUNNING', '{}', 1000, now() FROM generate_series(1, 3) RETURNING id`,
  );
  const watcher = new ChangeWatcher(db, 250);
  const seenAt = new Map<string, number>();
  const stop = watcher.onJob((job) => seenAt.set(`${job.id}:${job.done}`, performance.now()));
  await new Promise((r) => setTimeout(r, 600));
  const delays: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  for (let step = 1; performance.now() < until; step++) {
    const id = running[step % 3].id;
    const wrote = performance.now();
    await writer.query(`UPDATE jobs SET done = $2 WHERE id = $1`, [id, step]);
    while (!seenAt.has(`${id}:${step}`) && performance.now() - wrote < 5000) await new Promise((r) => setTimeout(r, 5));
    delays.push((seenAt.get(`${id}:${step}`) ?? Number.NaN) - wrote);
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
  stop();
  delays.sort((a, b) => a - b);
  const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))].toFixed(0);
  console.log(
    `${label}: ${JOBS} finished jobs + 3 running; a read every 250 ms took ${(watcher.stats.totalMs / watcher.stats.reads).toFixed(1)} ms on average (${watcher.stats.reads} reads, ${watcher.stats.failures} failed); ` +
      `write-to-report delay p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms over ${delays.length} writes`,
  );
}

const pgReason = await postgresUnavailable();
if (pgReason) console.log(`PostgreSQL: skipped (${pgReason})`);
else {
  const t = await createTestDatabase("postgres");
  console.log(`LISTEN/NOTIFY on PostgreSQL across connections: ${(await notifyAcrossConnections(t.url!)) ? "delivered" : "NOT delivered"}`);
  const writer = await openPostgres(t.url!, "postgres", "writer", 2);
  await pollingCost(t.db, writer, "PostgreSQL");
  await writer.close();
  await t.drop();
}

console.log(`LISTEN/NOTIFY in in-process PGlite (same connection): ${(await inProcessPglite()) ? "delivered" : "NOT delivered"}`);

const home = mkdtempSync(join(tmpdir(), "deepcuts-subs-bench-"));
const server = await startEmbeddedServer(home);
try {
  console.log(
    `LISTEN/NOTIFY through the PGlite socket server across connections: ${(await notifyAcrossConnections(server.url)) ? "delivered" : "NOT delivered"}`,
  );
  const db = await openPostgres(server.url, "embedded-server", "socket", 2);
  await migrate(db);
  const writer = await openPostgres(server.url, "embedded-server", "writer", 1);
  await pollingCost(db, writer, "PGlite socket server");
  await writer.close();
  await db.close();
} finally {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
