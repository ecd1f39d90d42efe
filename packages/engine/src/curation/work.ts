import type { Database } from "@deepcuts/db";
import { TRAINABLE } from "../training/train.ts";
import { invalid } from "../service-error.ts";
import { stat } from "node:fs/promises";
import { enqueueJob, enqueueUnlessInFlight } from "../jobs/enqueue.ts";
import { IMPORT_FORMATS, type ImportFormat, type ImportParams } from "../jobs/handlers.ts";
import { checkHistoryListener, HISTORY_FORMATS, type HistoryListener } from "../importers/history-import.ts";
import { historyFiles, type HistoryFormat } from "../importers/history-files.ts";
import { JOB_IN_FLIGHT, type JobRecord } from "./jobs.ts";

/** Queues training of the named models for a worker (one training at a time); returns its job, or the one already queued or running. */
export async function startTraining(db: Database, models: string[], _threads?: number): Promise<JobRecord> {
  if (models.length === 0) throw invalid("models", `name at least one of ${TRAINABLE.join(", ")}`);
  models.forEach((m, i) => {
    if (!(TRAINABLE as readonly string[]).includes(m)) throw invalid(`models[${i}]`, `must be one of ${TRAINABLE.join(", ")}, got '${m}'`);
  });
  return (await enqueueUnlessInFlight(db, "TRAIN", { models }, JOB_IN_FLIGHT)).record;
}

/** Queues a weekly generation run (playlists due now), fanned out into listener-range shards by a worker. */
export async function startWeeklyGeneration(db: Database, options: { now?: Date; shardSize?: number } = {}): Promise<JobRecord> {
  const params = { now: (options.now ?? new Date()).toISOString(), ...(options.shardSize ? { shardSize: options.shardSize } : {}) };
  return (await enqueueUnlessInFlight(db, "GENERATE", params, JOB_IN_FLIGHT)).record;
}

/** Queues an audio analysis (and optionally the demo clips first and the audio model after), fanned out by a worker into batches of `batchSize` tracks. */
export async function startAudioAnalysis(
  db: Database,
  params: { demoAudio?: boolean; trainAudioAfter?: boolean; redo?: boolean; batchSize?: number } = {},
): Promise<JobRecord> {
  return (await enqueueUnlessInFlight(db, "ANALYSE", params, JOB_IN_FLIGHT)).record;
}

/**
 * Queues an import of a file or folder the workers can read (all or nothing per file, as the
 * CLI's). A listening history (spotify, lastfm-scrobbles, listenbrainz) names the listener it
 * belongs to; its file or folder must hold files of that format.
 */
export async function startImport(db: Database, format: string, path: string, user?: HistoryListener): Promise<JobRecord> {
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw invalid("format", `must be one of ${IMPORT_FORMATS.join(", ")}, got '${format}'`);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw invalid("path", `${path} does not exist or cannot be read`);
  }
  const wantsFolder = format === "lastfm-2k" || format === "audio";
  const history = (HISTORY_FORMATS as readonly string[]).includes(format);
  if (!history && info.isDirectory() !== wantsFolder) throw invalid("path", `a ${format} import needs a ${wantsFolder ? "folder" : "file"}, got ${path}`);
  if (history) {
    if (!user) throw invalid("user", `a ${format} import needs the listener the history belongs to`);
    try {
      checkHistoryListener(user);
    } catch (error) {
      throw invalid("user", (error as Error).message);
    }
    if ((await historyFiles(path, format as HistoryFormat)).files.length === 0) throw invalid("path", `no ${format} history files in ${path}`);
  } else if (user) throw invalid("user", `applies to spotify, lastfm-scrobbles and listenbrainz imports, not ${format}`);
  return enqueueJob(db, "IMPORT", { format: format as ImportFormat, path, ...(user ? { user } : {}) } satisfies ImportParams);
}
