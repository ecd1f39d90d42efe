import type { Database } from "@deepcuts/db";
import type { VectorSet } from "@deepcuts/models/ann";
import { applyWhitening, fitWhitening, type DenseMatrix, type Whitening } from "@deepcuts/models/core";
import type { EntityKindName } from "./models.ts";

/** The metrics key under which an audio version keeps the whitening of its track vectors. */
export const SIMILARITY_WHITENING_KEY = "similarityWhitening";

/**
 * Shrinkage of the audio whitening (eps = shrinkage x the mean eigenvalue). Chosen on the seed-11
 * demo test world among 0.01-1 as the largest spread of top-10 scores whose genre agreement stays
 * within 0.01 of the raw vectors'; reported on the seed-42 world (docs/benchmarks.md).
 */
export const AUDIO_WHITENING_SHRINKAGE = 0.1;

/** The whitening the audio similarity serves for a catalogue of track vectors (stored with the version at training). */
export function audioWhitening(tracks: DenseMatrix): Whitening {
  return fitWhitening(tracks, AUDIO_WHITENING_SHRINKAGE);
}

/** The whitening stored with a version for similarity serving, or null when it has none. */
export async function storedWhitening(db: Database, versionId: number): Promise<Whitening | null> {
  const rows = await db.query<{ metrics: Record<string, unknown> | null }>(`SELECT metrics FROM model_versions WHERE id = $1`, [versionId]);
  const stored = rows[0]?.metrics?.[SIMILARITY_WHITENING_KEY] as Whitening | undefined;
  return stored ?? null;
}

/**
 * Audio vectors are served for similarity whitened. The content network's unit-length outputs
 * for one genre nearly coincide (their raw cosines are all about 0.999 on the demo world), and
 * per-column z-scores do not change that: the genre directions dominate every column. Whitening
 * gives each direction of the catalogue's variation equal say, so tracks within a genre rank by
 * what tells them apart. Tracks use the whitening stored with the version at training time;
 * artists (their tracks' mean vectors) and versions trained before it was stored get one fitted
 * on the loaded catalogue.
 */
export function whitenAudioSet(set: VectorSet, entity: EntityKindName, stored: Whitening | null): VectorSet {
  const matrix = { rows: set.ids.length, cols: set.dim, data: set.data };
  const whitening = entity === "TRACK" && stored ? stored : audioWhitening(matrix);
  return { ids: set.ids, dim: set.dim, data: applyWhitening(matrix, whitening).data };
}
