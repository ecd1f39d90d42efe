import { cpus } from "node:os";
import { databaseConfig, integerFromEnv, type DatabaseConfig } from "@deepcuts/db";

/** What a worker process reads from the environment, validated in one place. */
export interface WorkerConfig {
  database: DatabaseConfig;
  /** Worker threads for training and analysis (DEEPCUTS_THREADS, default: CPU count). */
  threads: number;
  /** Weekly-generation shards worked at once (DEEPCUTS_WORKER_SHARDS, default 1: scoring runs on the main thread). */
  shardConcurrency: number;
  /** Listeners per shard when this worker fans a run out (DEEPCUTS_SHARD_SIZE, default 500). */
  shardSize: number;
  /** Tracks per audio-analysis batch when this worker fans an analysis out (DEEPCUTS_ANALYSIS_BATCH, default 100). */
  analysisBatchSize: number;
  /** Take long jobs (training, analysis, imports) too, not only shards (DEEPCUTS_WORKER_LONG_JOBS, default 1). */
  longJobs: boolean;
  /** A running job whose owner's heartbeat is older than this is reconciled as interrupted (DEEPCUTS_JOB_STALE_SECONDS, default 30). */
  staleAfterSeconds: number;
}

export function workerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return {
    database: databaseConfig(),
    threads: integerFromEnv(env, "DEEPCUTS_THREADS", cpus().length, 1, 256),
    shardConcurrency: integerFromEnv(env, "DEEPCUTS_WORKER_SHARDS", 1, 1, 64),
    shardSize: integerFromEnv(env, "DEEPCUTS_SHARD_SIZE", 500, 1, 1_000_000),
    analysisBatchSize: integerFromEnv(env, "DEEPCUTS_ANALYSIS_BATCH", 100, 1, 1_000_000),
    longJobs: integerFromEnv(env, "DEEPCUTS_WORKER_LONG_JOBS", 1, 0, 1) === 1,
    staleAfterSeconds: integerFromEnv(env, "DEEPCUTS_JOB_STALE_SECONDS", 30, 5, 3600),
  };
}
