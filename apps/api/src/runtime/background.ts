import type { Database } from "@deepcuts/db";
import type { AppConfig } from "../config.ts";
import { ProgressBar } from "../cli/progress.ts";
import { analyzePendingTracks } from "@deepcuts/engine/audio/analyze-tracks.ts";
import { synthesizeDemoAudio } from "@deepcuts/engine/audio/synthesize.ts";
import { runRecordedJob } from "@deepcuts/engine/jobs-progress.ts";
import { activeModelVersion } from "@deepcuts/engine/training/model-versions.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";

/**
 * The long work `npm start` leaves for after the product is up: synthesize the demo clips,
 * analyse the audio, then train the models that need it. Each step is a recorded job with
 * progress (dashboard, `deepcuts status`) and a progress line on the console. Stops between
 * steps (and inside them) when `signal` fires.
 */
export async function runBackgroundWork(db: Database, config: AppConfig, log: (line: string) => void, signal: AbortSignal): Promise<void> {
  const step = async <T>(label: string, kind: "ANALYZE" | "TRAIN", work: (progress: (m: string, d: number, t: number) => void) => Promise<T>) => {
    if (signal.aborted) return null;
    const bar = new ProgressBar(label, true);
    const result = await runRecordedJob(db, kind, { step: label, background: true }, (progress) =>
      work((m, d, t) => {
        progress(m, d, t);
        bar.update(m, d, t);
      }),
    );
    bar.done("done");
    return result;
  };
  try {
    await step("demo audio", "ANALYZE", (p) => synthesizeDemoAudio(db, config.database.home, { onProgress: p, signal }));
    const analysed = await step("audio analysis", "ANALYZE", (p) => analyzePendingTracks(db, config.database.home, { threads: config.threads, onProgress: p, signal }));
    const needAudioModel = (analysed?.analysed ?? 0) > 0 || !(await activeModelVersion(db, "AUDIO_CNN"));
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audio_analyses WHERE status = 'OK'`);
    if (needAudioModel && n > 0 && (await activeModelVersion(db, "ALS"))) {
      await step("audio model", "TRAIN", (p) =>
        trainModels(db, ["audio"], { threads: config.threads, signal, progress: () => ({ callback: p, done: () => {} }) }),
      );
    }
    if (!signal.aborted) log("background work finished: next week's playlists will use the audio model");
  } catch (error) {
    if ((error as Error).name !== "CancelledError") log(`background work stopped: ${(error as Error).message}`);
  }
}
