import type { Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { analyzePendingTracks } from "../audio/analyze-tracks.ts";
import { synthesizeDemoAudio } from "../audio/synthesize.ts";
import { importAudioFolder } from "../importers/audio-folder.ts";
import { importEventsCsv } from "../importers/csv-events.ts";
import { importTextsJsonl } from "../importers/jsonl-texts.ts";
import { importLastfm } from "../importers/lastfm.ts";
import { indexCacheFor } from "../similarity/index-cache.ts";
import { activeModelVersion } from "../training/model-versions.ts";
import { trainModels, type Trainable } from "../training/train.ts";
import { dueListenerIds, generateDuePlaylists } from "../weekly/generate.ts";
import { loadModelState, type ModelState } from "../weekly/model-state.ts";
import { enqueueShards } from "./enqueue.ts";
import type { JobRecord } from "./records.ts";
import type { JobWork, Progress } from "./run.ts";

export interface WorkContext {
  threads: number;
  /** $DEEPCUTS_HOME: where demo audio is synthesized and audio paths resolve. */
  home: string;
  /** Listeners per weekly-generation shard. */
  shardSize: number;
}

/** What a run that fanned out returns: its record stays RUNNING until its shards settle it. */
export interface FannedOut {
  fannedOut: number;
}

export interface TrainParams { models: Trainable[] }
export interface AnalyzeParams { demoAudio?: boolean; trainAudioAfter?: boolean; redo?: boolean }
export interface ImportParams { format: "lastfm-2k" | "events" | "texts" | "audio"; path: string }
export interface GenerateParams { now?: string; shardSize?: number }
export interface ShardParams { runId: number; now: string; from: number; to: number }

/** The work a job record stands for, by kind; a shard is a GENERATE record with a parent. */
export function workFor(db: Database, record: JobRecord, ctx: WorkContext): JobWork<unknown> {
  switch (record.kind) {
    case "TRAIN":
      return (progress, signal) => train(db, (record.params as TrainParams).models, ctx, progress, signal);
    case "ANALYZE":
      return (progress, signal) => analyze(db, record.params as AnalyzeParams, ctx, progress, signal);
    case "IMPORT":
      return (progress, signal) => runImport(db, record.params as ImportParams, progress, signal);
    case "GENERATE":
      return record.parentId
        ? (progress, signal) => generateShard(db, record, progress, signal)
        : (progress) => fanOut(db, record, ctx, progress);
  }
}

async function train(db: Database, models: Trainable[], ctx: WorkContext, progress: Progress, signal: AbortSignal) {
  try {
    return await trainModels(db, models, {
      threads: ctx.threads,
      signal,
      skipWithoutData: false,
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
}

/** Demo clips (optional), then every pending track's analysis, then (optionally) the audio model: each step resumes where a stopped one left off. */
async function analyze(db: Database, params: AnalyzeParams, ctx: WorkContext, progress: Progress, signal: AbortSignal) {
  const step = (name: string): Progress => (m, d, t) => progress(`${name}: ${m}`, d, t);
  let synthesized = 0;
  if (params.demoAudio) synthesized = await synthesizeDemoAudio(db, ctx.home, { onProgress: step("demo audio"), signal });
  if (signal.aborted) throw new CancelledError("audio analysis");
  const analysis = await analyzePendingTracks(db, ctx.home, { threads: ctx.threads, redo: params.redo, onProgress: step("audio analysis"), signal });
  let audioModel: number | null = null;
  if (params.trainAudioAfter) {
    if (signal.aborted) throw new CancelledError("audio model");
    const needed = analysis.analysed > 0 || !(await activeModelVersion(db, "AUDIO_CNN"));
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audio_analyses WHERE status = 'OK'`);
    if (needed && n > 0 && (await activeModelVersion(db, "ALS"))) {
      const [trained] = await train(db, ["audio"], ctx, step("audio model"), signal);
      audioModel = trained.versionId;
    }
  }
  return { synthesized, analysis, audioModel };
}

async function runImport(db: Database, params: ImportParams, progress: Progress, signal: AbortSignal) {
  if (signal.aborted) throw new CancelledError("import");
  // Imports are all or nothing (one transaction): a cancel during one lets it finish or roll back whole.
  switch (params.format) {
    case "lastfm-2k": return importLastfm(db, params.path, progress);
    case "events": return importEventsCsv(db, params.path, progress);
    case "texts": return importTextsJsonl(db, params.path, progress);
    case "audio": return importAudioFolder(db, params.path, progress);
  }
}

/**
 * A weekly-generation run: finds the listeners whose playlist is due at the run's `now` and
 * queues one shard per `shardSize` of them (an id range), for any worker to take.
 */
async function fanOut(db: Database, record: JobRecord, ctx: WorkContext, progress: Progress): Promise<FannedOut | { due: 0; made: 0 }> {
  const params = record.params as GenerateParams;
  // A retried run whose first attempt queued its shards already: hand on to them, never twice.
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE parent_id = $1`, [record.id]);
  if (n > 0) return { fannedOut: n };
  const now = params.now ?? new Date().toISOString();
  const due = await dueListenerIds(db, new Date(now));
  if (due.length === 0) return { due: 0, made: 0 };
  const size = Math.max(1, params.shardSize ?? ctx.shardSize);
  const shards: ShardParams[] = [];
  const totals: number[] = [];
  for (let i = 0; i < due.length; i += size) {
    const ids = due.slice(i, i + size);
    shards.push({ runId: record.id, now, from: ids[0], to: ids[ids.length - 1] });
    totals.push(ids.length);
  }
  progress(`queueing ${shards.length} shards`, 0, due.length);
  await enqueueShards(db, record.id, shards, totals);
  return { fannedOut: shards.length };
}

/** One listener range of a run. Safe to repeat: made playlists are skipped, and (user, week) is unique. */
async function generateShard(db: Database, record: JobRecord, progress: Progress, signal: AbortSignal) {
  const params = record.params as ShardParams;
  let offset = 0;
  return generateDuePlaylists(db, {
    now: new Date(params.now),
    idRange: { from: params.from, to: params.to },
    signal,
    modelState: () => cachedModelState(db),
    // Progress counts the whole range, so a resumed shard goes on from what its first attempt made.
    onProgress: (message, done, total) => {
      if (done === 0) offset = Math.max(0, record.total - total);
      progress(message, offset + done, offset + total);
    },
  });
}

const stateCache = new WeakMap<Database, { key: string; state: Promise<ModelState> }>();

/** The loaded models, kept between shards until an active model version changes. */
async function cachedModelState(db: Database): Promise<ModelState> {
  const [{ key }] = await db.query<{ key: string | null }>(`SELECT string_agg(id::text, ',' ORDER BY id) AS key FROM model_versions WHERE is_active`);
  const cached = stateCache.get(db);
  if (cached && cached.key === (key ?? "")) return cached.state;
  const state = loadModelState(db);
  stateCache.set(db, { key: key ?? "", state });
  state.catch(() => stateCache.delete(db));
  return state;
}
