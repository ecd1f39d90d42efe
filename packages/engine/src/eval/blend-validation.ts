import type { Database } from "@deepcuts/db";
import { ImplicitAls, type AlsParams } from "@deepcuts/models/cf";
import { seededRandom, shuffle, type Csr } from "@deepcuts/models/core";
import { holdoutSplit } from "@deepcuts/models/eval";
import { loadInteractions } from "../training/interactions.ts";
import { activeModelVersion } from "../training/model-versions.ts";
import {
  assembleModelState,
  pickForListener,
  PlaylistTally,
  validateBlend,
  type BlendConstraints,
  type BlendWeights,
  type ListenerHistory,
  type ModelState,
  type PlaylistMetrics,
} from "@deepcuts/models/blend";
import { activeBlendConfig, checkBlend } from "../curation/blends.ts";
import { invalid } from "../service-error.ts";
import { loadHistories } from "../weekly/histories.ts";
import { loadModelStateInput } from "../weekly/load-model-state.ts";

/** What a blend's playlists would be worth on the validation split. */
export type BlendValidationMetrics = PlaylistMetrics;

export interface BlendValidationReport {
  /**
   * False while the validation split is still being prepared (the collaborative model fitted on
   * its training part) when the time budget ran out: ask again shortly; the metrics are null.
   */
  ready: boolean;
  /** The unsaved weights and constraints. */
  candidate: BlendValidationMetrics | null;
  /** The active configuration, on the same listeners. */
  active: BlendValidationMetrics | null;
  activeVersion: number;
  playlistSize: number;
  /** Listeners evaluated (each has held-out listening), and how many the sample holds. */
  listeners: number;
  sampled: number;
  /** False when the time budget ran out before the whole sample was evaluated. */
  complete: boolean;
  /** The collaborative model fitted on the training part of the split, for this evaluation only. */
  collaborativeVersion: number | null;
  heldOutTracks: number;
  seconds: number;
}

export interface BlendValidationOptions {
  /** Listeners in the sample (default 300, at most 2000). */
  listeners?: number;
  /** Stop after this many ms (default 5000), preparation included; what was evaluated is reported. */
  budgetMs?: number;
  /** Threads for the one-off collaborative fit (default 1: it runs inside the API process). */
  threads?: number;
}

export const MAX_VALIDATION_LISTENERS = 2000;

/** Everything fixed between two evaluations: rebuilt only when a model version or the listening changes. */
interface ValidationState {
  key: string;
  state: ModelState;
  histories: Map<number, ListenerHistory>;
  heldOut: Map<number, Set<number>>;
  /** Listeners with held-out tracks, in a seeded random order. */
  order: number[];
  /** Listeners who played each track in the training part, by catalogue index. */
  listenersOfTrack: Float32Array;
  listenerCount: number;
  heldOutTracks: number;
}

let cached: { key: string; built: Promise<ValidationState> } | null = null;

const ALS_KEYS = ["factors", "regularization", "alpha", "confidence", "iterations", "solver", "cgSteps", "initScale", "seed"] as const;

async function stateKey(db: Database): Promise<string> {
  const [row] = await db.query<{ versions: string | null; events: number; tracks: number }>(
    `SELECT (SELECT string_agg(id::text, ',' ORDER BY id) FROM model_versions WHERE is_active AND status = 'READY') AS versions,
            (SELECT count(*)::int FROM user_track_stats) AS events, (SELECT count(*)::int FROM tracks) AS tracks`,
  );
  return `${row.versions ?? ""}|${row.events}|${row.tracks}`;
}

/**
 * The validation split and the models that must not have seen it: the same per-listener 20%
 * holdout (seed 42) the collaborative training measures its versions on; a collaborative model
 * with the active version's parameters fitted on the rest; popularity counted on the rest. The
 * text, co-mention and audio vectors are the active versions' (text and co-mention read no listening; the audio
 * network was fitted to the active collaborative factors, a small leak noted in docs/dashboard.md).
 */
async function buildState(db: Database, key: string, threads: number): Promise<ValidationState> {
  const interactions = await loadInteractions(db);
  if (interactions.level !== "track") throw new RangeError("the blend evaluation needs track-level listening; this database has artist-level play counts only");
  const split = holdoutSplit(interactions.userItems, { seed: 42 });
  const input = await loadModelStateInput(db);
  const trackIds = interactions.items.ids;
  const userIds = interactions.users.ids;
  const listenersOfTrack = countListeners(split.train);
  input.popularity = new Map(Array.from(trackIds, (id, t) => [id, listenersOfTrack[t]]));
  input.popularityVersionId = undefined;
  if (input.collaborative) {
    const version = await activeModelVersion(db, "ALS");
    const stored = (version?.params ?? {}) as Record<string, unknown>;
    const params: Partial<AlsParams> = Object.fromEntries(ALS_KEYS.filter((k) => stored[k] !== undefined).map((k) => [k, stored[k]]));
    const model = await new ImplicitAls({ ...params, threads }).fit(split.train);
    input.collaborative = { versionId: input.collaborative.versionId, model, userIds, itemTrackIds: trackIds };
  }
  const state = assembleModelState(input);
  // Catalogue order (state) and interaction order are both by id; keep the counts by catalogue index.
  const byIndex = new Float32Array(state.trackIds.length);
  Array.from(trackIds, (id, t) => {
    const i = state.indexOfTrack.get(id);
    if (i !== undefined) byIndex[i] = listenersOfTrack[t];
  });
  const heldOut = new Map<number, Set<number>>();
  split.test.forEach((items, u) => {
    if (items.length) heldOut.set(userIds[u], new Set(Array.from(items, (t) => trackIds[t])));
  });
  const order = [...heldOut.keys()];
  shuffle(order, seededRandom(42));
  const sample = order.slice(0, MAX_VALIDATION_LISTENERS);
  const histories = await loadHistories(db, sample);
  const rowOf = new Map(Array.from(userIds, (id, u) => [id, u]));
  for (const userId of sample) {
    // The listener's history without the held-out tracks: they are the answers.
    const h = histories.get(userId)!;
    const u = rowOf.get(userId)!;
    h.heard = new Map();
    h.knownArtists = new Map();
    for (let p = split.train.indptr[u]; p < split.train.indptr[u + 1]; p++) {
      const trackId = trackIds[split.train.indices[p]];
      h.heard.set(trackId, split.train.data[p]);
      const artist = state.artistOf[state.indexOfTrack.get(trackId)!];
      h.knownArtists.set(artist, (h.knownArtists.get(artist) ?? 0) + 1);
    }
  }
  const heldOutTracks = split.test.reduce((a, t) => a + t.length, 0);
  return { key, state, histories, heldOut, order: sample, listenersOfTrack: byIndex, listenerCount: userIds.length, heldOutTracks };
}

/** The cached state, rebuilt when the key changed; a failed build is forgotten so the next call tries again. */
async function validationState(db: Database, threads: number): Promise<ValidationState> {
  const key = await stateKey(db);
  if (cached?.key !== key) {
    const built = buildState(db, key, threads);
    cached = { key, built };
    built.catch(() => {
      if (cached?.built === built) cached = null;
    });
  }
  return cached.built;
}

function countListeners(train: Csr): Float32Array {
  const out = new Float32Array(train.cols);
  for (let p = 0; p < train.indptr[train.rows]; p++) out[train.indices[p]]++;
  return out;
}

/**
 * Evaluates unsaved blend weights and constraints on the validation split beside the active
 * configuration, on the same sampled listeners, through the weekly engine's own `pickForListener`:
 * recall of held-out listening, catalogue coverage, artist diversity and novelty. The first call
 * after a model or the listening changes fits the collaborative model on the training part
 * (seconds on the default demo world; a call whose budget runs out first answers `ready: false`
 * while the fit goes on); later calls reuse it. Evaluation stops at the time budget and says how
 * many listeners it covered.
 */
export async function evaluateBlendOnValidation(
  db: Database,
  input: { weights: BlendWeights; constraints: BlendConstraints; active: { version: number; weights: BlendWeights; constraints: BlendConstraints } },
  options: BlendValidationOptions = {},
): Promise<BlendValidationReport> {
  const started = Date.now();
  validateBlend(input.weights, input.constraints);
  const wanted = options.listeners ?? 300;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > MAX_VALIDATION_LISTENERS)
    throw new RangeError(`listeners must be 1..${MAX_VALIDATION_LISTENERS}, got ${wanted}`);
  const deadline = started + (options.budgetMs ?? 5000);
  const building = validationState(db, options.threads ?? 1);
  // The preparation goes on in the background when it outlasts the budget; the next call finds it done.
  const v = await Promise.race([building, new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now())))]);
  if (!v) {
    return {
      ready: false,
      candidate: null,
      active: null,
      activeVersion: input.active.version,
      playlistSize: input.constraints.playlistSize,
      listeners: 0,
      sampled: wanted,
      complete: false,
      collaborativeVersion: null,
      heldOutTracks: 0,
      seconds: (Date.now() - started) / 1000,
    };
  }
  const candidate = new PlaylistTally(v.state, v.listenersOfTrack, v.listenerCount),
    active = new PlaylistTally(v.state, v.listenersOfTrack, v.listenerCount);
  const sample = v.order.slice(0, wanted);
  const pick = (userId: number, weights: BlendWeights, constraints: BlendConstraints) =>
    pickForListener(v.state, v.histories.get(userId)!, weights, constraints).items.map((i) => i.trackId);
  for (const userId of sample) {
    if (Date.now() > deadline) break;
    const relevant = v.heldOut.get(userId)!;
    candidate.add(pick(userId, input.weights, input.constraints), relevant, input.constraints);
    active.add(pick(userId, input.active.weights, input.active.constraints), relevant, input.active.constraints);
    // One listener at a time keeps the API answering other requests meanwhile.
    await new Promise((r) => setImmediate(r));
  }
  return {
    ready: true,
    candidate: candidate.metrics(),
    active: active.metrics(),
    activeVersion: input.active.version,
    playlistSize: input.constraints.playlistSize,
    listeners: candidate.listeners,
    sampled: sample.length,
    complete: candidate.listeners === sample.length,
    collaborativeVersion: v.state.collaborative ? v.state.collaborative.versionId : null,
    heldOutTracks: v.heldOutTracks,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The unsaved settings against the active configuration (`evaluateBlendOnValidation`); bad settings are a ServiceError naming the field. */
export async function evaluateUnsavedBlend(
  db: Database,
  weights: BlendWeights,
  constraints: BlendConstraints,
  options: BlendValidationOptions = {},
): Promise<BlendValidationReport> {
  checkBlend(weights, constraints);
  if (options.listeners !== undefined && (!Number.isInteger(options.listeners) || options.listeners < 1 || options.listeners > MAX_VALIDATION_LISTENERS)) {
    throw invalid("listeners", `must be 1..${MAX_VALIDATION_LISTENERS}, got ${options.listeners}`);
  }
  const active = await activeBlendConfig(db);
  return evaluateBlendOnValidation(
    db,
    { weights, constraints, active: { version: active.version, weights: active.weights, constraints: active.constraints } },
    options,
  );
}
