import type { Database } from "@deepcuts/db";
import { pickForListener, validateBlend, type BlendConstraints, type BlendWeights, type PlaylistPick } from "@deepcuts/models/blend";
import { loadHistories } from "./histories.ts";
import { currentModelState } from "./load-model-state.ts";

/**
 * The playlist a listener would get under unsaved weights and constraints; stores nothing.
 * The models stay loaded between calls, so moving a slider costs one listener's scoring.
 */
export async function previewPlaylist(db: Database, input: { userId: number; weights: BlendWeights; constraints: BlendConstraints }): Promise<PlaylistPick> {
  validateBlend(input.weights, input.constraints);
  const state = await currentModelState(db);
  const histories = await loadHistories(db, [input.userId], state);
  return pickForListener(state, histories.get(input.userId)!, input.weights, input.constraints);
}
