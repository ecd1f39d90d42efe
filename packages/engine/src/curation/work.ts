import type { Database } from "@deepcuts/db";
import { TRAINABLE } from "../training/train.ts";
import { invalid } from "../service-error.ts";
import { enqueueJob } from "../jobs/enqueue.ts";
import { jobInFlight, type JobRecord } from "./jobs.ts";

/** Queues training of the named models for a worker (one training at a time); returns its job, or the one already queued or running. */
export async function startTraining(db: Database, models: string[], _threads?: number): Promise<JobRecord> {
  if (models.length === 0) throw invalid("models", `name at least one of ${TRAINABLE.join(", ")}`);
  models.forEach((m, i) => {
    if (!(TRAINABLE as readonly string[]).includes(m)) throw invalid(`models[${i}]`, `must be one of ${TRAINABLE.join(", ")}, got '${m}'`);
  });
  const busy = await jobInFlight(db, "TRAIN");
  if (busy) return busy;
  return enqueueJob(db, "TRAIN", { models });
}

/** Queues a weekly generation run (playlists due now), fanned out into listener-range shards by a worker. */
export async function startWeeklyGeneration(db: Database, options: { now?: Date; shardSize?: number } = {}): Promise<JobRecord> {
  const busy = await jobInFlight(db, "GENERATE");
  if (busy) return busy;
  return enqueueJob(db, "GENERATE", { now: (options.now ?? new Date()).toISOString(), ...(options.shardSize ? { shardSize: options.shardSize } : {}) });
}

/** Queues an audio analysis (and optionally the demo clips first and the audio model after), fanned out by a worker into batches of `batchSize` tracks. */
export async function startAudioAnalysis(db: Database, params: { demoAudio?: boolean; trainAudioAfter?: boolean; redo?: boolean; batchSize?: number } = {}): Promise<JobRecord> {
  const busy = await jobInFlight(db, "ANALYZE");
  if (busy) return busy;
  return enqueueJob(db, "ANALYZE", params);
}

/** Queues an import of a file or folder the workers can read (all or nothing, as the CLI's). */
export async function startImport(db: Database, format: "lastfm-2k" | "events" | "texts" | "audio", path: string): Promise<JobRecord> {
  return enqueueJob(db, "IMPORT", { format, path });
}
