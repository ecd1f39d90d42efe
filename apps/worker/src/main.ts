import { migrate, openDatabase } from "@deepcuts/db";
import { startWorker } from "@deepcuts/engine/jobs/worker.ts";
import { workerConfig } from "./config.ts";

const USAGE = `deepcuts-worker: takes jobs from the queue in the database until Ctrl+C or SIGTERM.

  DATABASE_URL=postgresql://... deepcuts-worker     a worker on any machine that reaches the database
  deepcuts-worker                                   beside a running 'deepcuts serve' on the embedded database

Environment: DEEPCUTS_THREADS, DEEPCUTS_WORKER_SHARDS, DEEPCUTS_SHARD_SIZE, DEEPCUTS_ANALYSIS_BATCH, DEEPCUTS_WORKER_LONG_JOBS, DEEPCUTS_JOB_STALE_SECONDS (see docs/architecture.md).`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const config = workerConfig();
  const db = await openDatabase({ config: config.database, command: "deepcuts-worker" });
  if (db.target === "embedded") {
    // A worker never owns the embedded database: it would lock out the server.
    await db.close();
    console.error("deepcuts-worker: no database server to join: set DATABASE_URL, or start 'deepcuts serve' (its embedded database server) first");
    return 2;
  }
  await migrate(db);
  const worker = await startWorker(db, {
    threads: config.threads,
    home: config.database.home,
    shardConcurrency: config.shardConcurrency,
    shardSize: config.shardSize,
    analysisBatchSize: config.analysisBatchSize,
    longJobs: config.longJobs,
    staleAfterSeconds: config.staleAfterSeconds,
    log: (line) => console.error(line),
  });
  console.log(`worker ready: ${worker.owner} on ${db.location}`);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  console.error(`${signal}: stopping (running jobs are interrupted and resume elsewhere)...`);
  await worker.stop();
  await db.close();
  return 0;
}
