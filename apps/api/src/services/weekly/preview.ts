import type { Database } from "@deepcuts/db";
import type { BlendConstraints, BlendWeights } from "./blend-config.ts";
import { validateBlend } from "./blend-config.ts";
import { loadCatalog, pickPlaylist, type PickedItem } from "./pick.ts";
import { loadHistories } from "./histories.ts";

export interface PlaylistPreview {
  status: "COMPLETE" | "SHORT" | "COLD_START";
  items: PickedItem[];
}

/**
 * The playlist a listener would get under unsaved weights and constraints; stores nothing.
 */
export async function previewPlaylist(db: Database, input: { userId: number; weights: BlendWeights; constraints: BlendConstraints }): Promise<PlaylistPreview> {
  validateBlend(input.weights, input.constraints);
  const catalog = await loadCatalog(db);
  const histories = await loadHistories(db, [input.userId]);
  return pickPlaylist(catalog, histories.get(input.userId)!, input.constraints);
}
