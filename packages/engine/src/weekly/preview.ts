import type { Database } from "@deepcuts/db";
import type { BlendConstraints, BlendWeights } from "./blend-config.ts";
import { validateBlend } from "./blend-config.ts";
import { pickForListener, type PlaylistPick } from "./engine.ts";
import { loadHistories } from "./histories.ts";
import { currentModelState } from "./model-state.ts";

/**
 * The playlist a listener would get under unsaved weights and constraints; stores nothing.
 * The models stay loaded between calls, so moving a slider costs one listener's scoring.
 */
export async function previewPlaylist(db: Database, input: { userId: number; weights: BlendWeights; constraints: BlendConstraints }): Promise<PlaylistPick> {
  validateBlend(input.weights, input.constraints);
  const state = await currentModelState(db);
  const histories = await loadHistories(db, [input.userId]);
  return pickForListener(state, histories.get(input.userId)!, input.weights, input.constraints);
}
