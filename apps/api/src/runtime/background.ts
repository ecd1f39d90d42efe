import type { Database } from "@deepcuts/db";
import { startAudioAnalysis } from "@deepcuts/engine/curation/work.ts";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { hasDemoWorld, startSimulation } from "@deepcuts/engine/outcomes/jobs.ts";
import { ProgressBar } from "../cli/progress.ts";

const FINISHED = ["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"];

/**
 * The long work `npm start` leaves for after the product is up, queued for the workers: on a
 * demo world, first the simulated listeners answer this week's playlists and the online metrics
 * are computed (a SIMULATE job, so the product shows real outcomes within a minute); then one job
 * synthesizes the demo clips, analyses the audio, and trains the audio model when it needs it
 * (each step resumes where a stopped one left off). The audio job's progress is followed on the
 * console until it ends or `signal` fires; the jobs themselves belong to the job queue.
 */
export async function queueBackgroundWork(db: Database, log: (line: string) => void, signal: AbortSignal): Promise<void> {
  try {
    if (await hasDemoWorld(db)) {
      const simulation = await startSimulation(db);
      log(`simulated listeners answer this week's playlists (job ${simulation.id}); outcomes and metrics follow`);
    }
    const job = await startAudioAnalysis(db, { demoAudio: true, trainAudioAfter: true });
    const bar = new ProgressBar(`audio (job ${job.id})`, true);
    while (!signal.aborted) {
      const now = await getJob(db, job.id);
      if (FINISHED.includes(now.status)) {
        bar.done(now.status.toLowerCase());
        if (now.status === "SUCCEEDED") log("background work finished: next week's playlists will use the audio model");
        else log(`background work ${now.status.toLowerCase()}: ${now.error ?? now.message}`);
        return;
      }
      if (now.total > 0) bar.update(now.message, now.done, now.total);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } catch (error) {
    if (!signal.aborted) log(`background work stopped: ${(error as Error).message}`);
  }
}
