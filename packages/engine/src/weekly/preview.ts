import type { Database } from "@deepcuts/db";
import type { BlendConstraints, BlendWeights } from "./blend-config.ts";
import { validateBlend } from "./blend-config.ts";
import { pickForListener, type PlaylistPick } from "./engine.ts";
import { loadHistories } from "./histories.ts";
import { loadModelState, type ModelState } from "./model-state.ts";

let cached: { key: string; state: Promise<ModelState> } | null = null;

/** The model state for the active versions, reloaded only when a version changes. */
async function currentState(db: Database): Promise<ModelState> {
  const active = await db.query<{ id: number }>(`SELECT id FROM model_versions WHERE is_active AND status = 'READY' ORDER BY id`);
  const [counts] = await db.query<{ tracks: number }>(`SELECT count(*)::int AS tracks FROM tracks`);
  const key = `${active.map((a) => a.id).join(",")}|${counts.tracks}`;
  if (cached?.key !== key) cached = { key, state: loadModelState(db) };
  return cached.state;
}

/**
 * The playlist a listener would get under unsaved weights and constraints; stores nothing.
 * The models stay loaded between calls, so moving a slider costs one listener's scoring.
 */
export async function previewPlaylist(db: Database, input: { userId: number; weights: BlendWeights; constraints: BlendConstraints }): Promise<PlaylistPick> {
  validateBlend(input.weights, input.constraints);
  const state = await currentState(db);
  const histories = await loadHistories(db, [input.userId]);
  return pickForListener(state, histories.get(input.userId)!, input.weights, input.constraints);
}
