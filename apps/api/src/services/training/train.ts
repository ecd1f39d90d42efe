import type { Database } from "@deepcuts/db";
import { trainPopularity } from "./popularity.ts";

export const TRAINABLE = ["popularity"] as const;
export type Trainable = (typeof TRAINABLE)[number];

export interface TrainResult {
  model: Trainable;
  versionId: number | null;
  metrics?: Record<string, number | string>;
  skipped?: string;
}

interface Bar {
  callback: (message: string, done: number, total: number) => void;
  done(message: string): void;
}

/** Trains the named models in dependency order, each as a new active model version. */
export async function trainModels(db: Database, models: Trainable[], options: { threads: number; progress: (name: string) => Bar }): Promise<TrainResult[]> {
  const results: TrainResult[] = [];
  for (const model of TRAINABLE.filter((m) => models.includes(m))) {
    const bar = options.progress(model);
    const { id, metrics } = await trainPopularity(db, bar.callback);
    bar.done(`version ${id}`);
    results.push({ model, versionId: id, metrics: metrics as unknown as Record<string, number> });
  }
  return results;
}
