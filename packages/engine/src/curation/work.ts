import type { Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { trainModels, TRAINABLE, type Trainable } from "../training/train.ts";
import { generateDuePlaylists } from "../weekly/generate.ts";
import { indexCacheFor } from "../similarity/index-cache.ts";
import { invalid } from "../service-error.ts";
import { jobInFlight, startJob, type JobRecord } from "./jobs.ts";

/** Starts training of the named models on `threads` worker threads as a background job (one training at a time). */
export async function startTraining(db: Database, models: string[], threads: number): Promise<JobRecord> {
  if (models.length === 0) throw invalid("models", `name at least one of ${TRAINABLE.join(", ")}`);
  models.forEach((m, i) => {
    if (!(TRAINABLE as readonly string[]).includes(m)) throw invalid(`models[${i}]`, `must be one of ${TRAINABLE.join(", ")}, got '${m}'`);
  });
  const busy = await jobInFlight(db, "TRAIN");
  if (busy) return busy;
  return startJob(db, "TRAIN", { models }, async (progress, signal) => {
    try {
      return await trainModels(db, models as Trainable[], {
        threads,
        signal,
        progress: (name) => {
          // Between models: a cancelled job trains no further model (popularity has no signal of its own).
          if (signal.aborted) throw new CancelledError(`training before ${name}`);
          return { callback: (m, d, t) => progress(`${name}: ${m}`, d, t), done: (m) => progress(`${name}: ${m}`, 1, 1) };
        },
      });
    } finally {
      // Models finished before a cancellation or failure are active: serve them.
      indexCacheFor(db).invalidate();
    }
  });
}

/** Starts the weekly generation (playlists that are due) as a background job. */
export async function startWeeklyGeneration(db: Database): Promise<JobRecord> {
  const busy = await jobInFlight(db, "GENERATE");
  if (busy) return busy;
  return startJob(db, "GENERATE", {}, (progress, signal) => generateDuePlaylists(db, { onProgress: progress, signal }));
}
