import type { Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { analysePendingTracks, pendingTracks, type AnalyseReport } from "../audio/analyse-tracks.ts";
import { synthesizeDemoAudio } from "../audio/synthesize.ts";
import { importAudioFolder } from "../importers/audio-folder.ts";
import { importEvents } from "../importers/csv-events.ts";
import { importTextsJsonl } from "../importers/jsonl-texts.ts";
import { importLastfm } from "../importers/lastfm.ts";
import { HISTORY_FORMATS, importHistory, type HistoryListener } from "../importers/history-import.ts";
import { indexCacheFor } from "../similarity/index-cache.ts";
import { activeModelVersion } from "../training/model-versions.ts";
import { trainModels, type Trainable } from "../training/train.ts";
import { dueListenerIds, generateDuePlaylists } from "../weekly/generate.ts";
import { computeOutcomeMetrics } from "../outcomes/metrics.ts";
import { crawlSites } from "../crawl/crawl.ts";
import { simulateOutcomes, type MetricsParams, type SimulateParams } from "../outcomes/jobs.ts";
import { currentModelState } from "../weekly/load-model-state.ts";
import { enqueueShards } from "./enqueue.ts";
import type { JobRecord } from "./records.ts";
import type { JobWork, Progress } from "./run.ts";

export interface WorkContext {
  threads: number;
  /** $DEEPCUTS_HOME: where demo audio is synthesized and audio paths resolve. */
  home: string;
  /** Listeners per weekly-generation shard. */
  shardSize: number;
  /** Tracks per audio-analysis batch (default 100). */
  analysisBatchSize?: number;
}

/** What a run that fanned out returns: its record stays RUNNING until its shards settle it. */
export interface FannedOut {
  fannedOut: number;
}

export interface TrainParams {
  models: Trainable[];
}
export interface AnalyseParams {
  demoAudio?: boolean;
  trainAudioAfter?: boolean;
  redo?: boolean;
  batchSize?: number;
}
/** One batch of an analysis run: a track id range, and for a redo the instant the run began (tracks analysed since are done). */
export interface AnalyseBatchParams {
  runId: number;
  from: number;
  to: number;
  redo?: boolean;
  since: string;
}
export const IMPORT_FORMATS = ["lastfm-2k", "events", "texts", "audio", ...HISTORY_FORMATS] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** An import job: a format, a file or folder the workers can read, and for a listening history the listener it belongs to. */
export interface ImportParams {
  format: ImportFormat;
  path: string;
  user?: HistoryListener;
}
export interface GenerateParams {
  now?: string;
  shardSize?: number;
}
/** A crawl of the seed sites (all enabled ones, or these). */
export interface CrawlParams {
  siteIds?: number[];
  maxPagesPerSite?: number;
}
export interface ShardParams {
  runId: number;
  now: string;
  from: number;
  to: number;
}

/** The work a job record stands for, by kind; a shard is a GENERATE record with a parent. */
export function workFor(db: Database, record: JobRecord, ctx: WorkContext): JobWork<unknown> {
  switch (record.kind) {
    case "TRAIN":
      return (progress, signal) => train(db, (record.params as TrainParams).models, ctx, progress, signal);
    case "ANALYSE":
      return record.parentId
        ? (progress, signal) => analyseBatch(db, record, ctx, progress, signal)
        : (progress, signal) => analyse(db, record, ctx, progress, signal);
    case "IMPORT":
      return (progress, signal) => runImport(db, record.params as ImportParams, progress, signal);
    case "GENERATE":
      return record.parentId ? (progress, signal) => generateShard(db, record, progress, signal) : (progress) => fanOut(db, record, ctx, progress);
    case "SIMULATE":
      return (progress, signal) => simulateOutcomes(db, record.params as SimulateParams, progress, signal);
    case "METRICS":
      return (progress) => computeOutcomeMetrics(db, { weeks: (record.params as MetricsParams).weeks, onProgress: progress });
    case "CRAWL":
      return (progress, signal) => crawlSites(db, { ...(record.params as CrawlParams), onProgress: progress, signal });
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
        // A model's end keeps its own total (3 of 3, not 1 of 1), so the job's bar never steps back within a model.
        let total = 1;
        return {
          callback: (m, d, t) => {
            total = Math.max(1, t);
            progress(`${name}: ${m}`, d, t);
          },
          done: (m) => progress(`${name}: ${m}`, total, total),
        };
      },
    });
  } finally {
    // Models finished before a cancellation or failure are active: serve them.
    indexCacheFor(db).invalidate();
  }
}

/**
 * An audio-analysis run: demo clips (optional), then every pending track's analysis fanned out in
 * batches of track id ranges that any worker takes (`deepcuts.analysis-shards`), then (optionally)
 * the audio model. The run waits for its batches, so the audio model trains on all of them; each
 * step resumes where a stopped one left off (a retried run finds its batches queued already).
 */
async function analyse(db: Database, record: JobRecord, ctx: WorkContext, progress: Progress, signal: AbortSignal) {
  const params = record.params as AnalyseParams;
  const step =
    (name: string): Progress =>
    (m, d, t) =>
      progress(`${name}: ${m}`, d, t);
  let synthesized = 0;
  if (params.demoAudio) synthesized = await synthesizeDemoAudio(db, ctx.home, { onProgress: step("demo audio"), signal });
  if (signal.aborted) throw new CancelledError("audio analysis");
  const batches = await fanOutAnalysis(db, record, params, ctx);
  const analysis = await awaitBatches(db, record.id, batches, step("audio analysis"), signal);
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

/** Queues the run's batches (one per `batchSize` pending tracks), once: a retried run keeps those it queued. Returns how many it has. */
async function fanOutAnalysis(db: Database, record: JobRecord, params: AnalyseParams, ctx: WorkContext): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE parent_id = $1`, [record.id]);
  if (n > 0) return n;
  const [{ now }] = await db.query<{ now: Date }>(`SELECT now() AS now`);
  const tracks = await pendingTracks(db, { redo: params.redo });
  if (tracks.length === 0) return 0;
  const size = Math.max(1, params.batchSize ?? ctx.analysisBatchSize ?? 100);
  const batches: AnalyseBatchParams[] = [];
  const totals: number[] = [];
  for (let i = 0; i < tracks.length; i += size) {
    const part = tracks.slice(i, i + size);
    batches.push({
      runId: record.id,
      from: part[0].id,
      to: part[part.length - 1].id,
      since: new Date(now).toISOString(),
      ...(params.redo ? { redo: true } : {}),
    });
    totals.push(part.length);
  }
  await enqueueShards(db, record.id, batches, totals, "ANALYSE");
  return batches.length;
}

/**
 * Follows the run's batches until every one has ended, reporting their summed progress; then
 * adds up their reports. A batch that failed, was dead-lettered or cancelled fails the run (a
 * cancel of the run reached its batches too, and stops this wait).
 */
async function awaitBatches(
  db: Database,
  runId: number,
  batches: number,
  progress: Progress,
  signal: AbortSignal,
): Promise<AnalyseReport & { batches: number }> {
  const report = { analysed: 0, failed: 0, errors: [] as AnalyseReport["errors"], seconds: 0, batches };
  if (batches === 0) return report;
  for (;;) {
    const [c] = await db.query<{ open: number; bad: number; done: number; total: number }>(
      `SELECT count(*) FILTER (WHERE status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'DEAD_LETTER'))::int AS open,
              count(*) FILTER (WHERE status IN ('FAILED', 'CANCELLED', 'DEAD_LETTER'))::int AS bad,
              coalesce(sum(done), 0)::int AS done, coalesce(sum(total), 0)::int AS total
       FROM jobs WHERE parent_id = $1`,
      [runId],
    );
    progress(`${c.done} of ${c.total} tracks in ${batches} batches`, c.done, c.total);
    if (c.open === 0 && c.bad > 0) throw new Error(`${c.bad} of ${batches} analysis batches did not succeed`);
    if (c.open === 0) break;
    if (signal.aborted) throw new CancelledError("audio analysis");
    await new Promise((r) => setTimeout(r, 500));
  }
  const [sum] = await db.query<{ analysed: number; failed: number; seconds: number; errors: AnalyseReport["errors"] | null }>(
    `SELECT coalesce(sum((result->>'analysed')::int), 0)::int AS analysed, coalesce(sum((result->>'failed')::int), 0)::int AS failed,
            coalesce(sum((result->>'seconds')::float8), 0)::float8 AS seconds,
            (SELECT jsonb_agg(e) FROM (SELECT jsonb_array_elements(c.result->'errors') AS e FROM jobs c WHERE c.parent_id = $1 LIMIT 100) x) AS errors
     FROM jobs WHERE parent_id = $1`,
    [runId],
  );
  return { ...report, analysed: sum.analysed, failed: sum.failed, seconds: sum.seconds, errors: sum.errors ?? [] };
}

/**
 * One batch of an analysis run: the pending tracks of its id range. Safe to repeat: each result
 * is committed as it arrives and a repeated batch takes only what is still pending (for a redo,
 * what was not analysed since the run began), so no track is analysed twice.
 */
async function analyseBatch(db: Database, record: JobRecord, ctx: WorkContext, progress: Progress, signal: AbortSignal) {
  const params = record.params as AnalyseBatchParams;
  let offset = 0;
  return analysePendingTracks(db, ctx.home, {
    threads: ctx.threads,
    redo: params.redo,
    analysedBefore: params.redo ? new Date(params.since) : undefined,
    idRange: { from: params.from, to: params.to },
    signal,
    // Progress counts the whole batch, so a resumed batch goes on from what its first attempt stored.
    onProgress: (message, done, total) => {
      if (done === 0) offset = Math.max(0, record.total - total);
      progress(`audio analysis: ${message}`, offset + done, offset + total);
    },
  });
}

async function runImport(db: Database, params: ImportParams, progress: Progress, signal: AbortSignal) {
  if (signal.aborted) throw new CancelledError("import");
  // Imports are all or nothing (one transaction): a cancel during one lets it finish or roll back whole.
  switch (params.format) {
    case "lastfm-2k":
      return importLastfm(db, params.path, progress);
    case "events":
      return importEvents(db, params.path, progress);
    case "texts":
      return importTextsJsonl(db, params.path, progress);
    case "audio":
      return importAudioFolder(db, params.path, progress);
    case "spotify":
    case "lastfm-scrobbles":
    case "listenbrainz":
      // Each file is all or nothing; the signal is checked between files.
      return importHistory(db, params.format, params.path, params.user!, progress, signal);
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
    modelState: () => currentModelState(db),
    // Progress counts the whole range, so a resumed shard goes on from what its first attempt made.
    onProgress: (message, done, total) => {
      if (done === 0) offset = Math.max(0, record.total - total);
      progress(message, offset + done, offset + total);
    },
  });
}
