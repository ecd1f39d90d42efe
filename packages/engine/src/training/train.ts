import type { Database } from "@deepcuts/db";
import { trainCollaborative } from "./collaborative.ts";
import { trainPopularity } from "./popularity.ts";
import { trainAudioFeatures, trainAudioNetwork } from "./audio.ts";
import { trainText } from "./text.ts";
import { trainCoMention } from "./co-mention.ts";

/** Models `deepcuts train` knows, in the order they are trained (later ones build on earlier ones). */
export const TRAINABLE = ["popularity", "als", "lmf", "text", "co-mention", "audio"] as const;
export type Trainable = (typeof TRAINABLE)[number];
/**
 * What `--model all` and `npm start` train first: LMF is trained on request only (it is reported
 * beside ALS, not served); audio needs the clips analysed, so `npm start` trains it in the background.
 */
export const DEFAULT_MODELS: Trainable[] = ["popularity", "als", "text", "co-mention"];

/** The stored model kind of a trainable model's version (`co-mention` is CO_MENTION; audio's is AUDIO_CNN). */
export function modelKindOf(model: Trainable): string {
  return model === "audio" ? "AUDIO_CNN" : model.toUpperCase().replace("-", "_");
}

export interface TrainResult {
  model: Trainable;
  versionId: number | null;
  metrics?: Record<string, unknown>;
  /** Why a model was not trained (only with `skipWithoutData`). */
  skipped?: string;
}

export interface ProgressBarLike {
  callback: (message: string, done: number, total: number) => void;
  done(message: string): void;
}

export interface TrainOptions {
  threads: number;
  progress: (name: string) => ProgressBarLike;
  signal?: AbortSignal;
  /** Skip, instead of failing, a model whose data is not there (text without documents, co-mention without
   * linked articles): for `all` and `npm start`. */
  skipWithoutData?: boolean;
}

/** Trains the named models in dependency order, each as a new active model version. */
export async function trainModels(db: Database, models: Trainable[], options: TrainOptions): Promise<TrainResult[]> {
  const results: TrainResult[] = [];
  for (const model of TRAINABLE.filter((m) => models.includes(m))) {
    if (model === "text" && options.skipWithoutData && !(await hasDocuments(db))) {
      results.push({ model, versionId: null, skipped: "no documents about artists or tracks" });
      continue;
    }
    if (model === "co-mention" && options.skipWithoutData && !(await hasMentions(db))) {
      results.push({ model, versionId: null, skipped: "no crawled articles mention a catalogue artist" });
      continue;
    }
    const bar = options.progress(model);
    let result: { id: number; metrics: unknown };
    switch (model) {
      case "popularity":
        result = await trainPopularity(db, bar.callback);
        break;
      case "als":
        result = await trainCollaborative(db, "ALS", { threads: options.threads, onProgress: bar.callback, signal: options.signal });
        break;
      case "lmf":
        result = await trainCollaborative(db, "LMF", { threads: options.threads, onProgress: bar.callback, signal: options.signal });
        break;
      case "text":
        result = await trainText(db, { onProgress: bar.callback, signal: options.signal });
        break;
      case "co-mention":
        result = await trainCoMention(db, { onProgress: bar.callback, signal: options.signal });
        break;
      case "audio": {
        // Needs analysed audio and an active ALS version (the network learns its vectors).
        const features = await trainAudioFeatures(db, bar.callback);
        const network = await trainAudioNetwork(db, { onProgress: bar.callback, signal: options.signal });
        result = { id: network.id, metrics: { ...network.metrics, featuresVersion: features.id } };
        break;
      }
    }
    bar.done(`version ${result.id}`);
    results.push({ model, versionId: result.id, metrics: result.metrics as Record<string, unknown> });
  }
  return results;
}

async function hasDocuments(db: Database): Promise<boolean> {
  const rows = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM documents) AS found`);
  return rows[0].found;
}

async function hasMentions(db: Database): Promise<boolean> {
  const rows = await db.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM article_mentions) AS found`);
  return rows[0].found;
}
