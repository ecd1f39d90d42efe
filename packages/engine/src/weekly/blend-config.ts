import type { Database } from "@deepcuts/db";

/** Weights of each source and of the novelty/popularity terms. A model not trained yet counts 0. */
export interface BlendWeights {
  collaborative: number;
  text: number;
  audio: number;
  popularity: number;
  novelty: number;
}

export interface BlendConstraints {
  playlistSize: number;
  /** At most this many tracks by one artist. */
  artistCap: number;
  /** Largest share of the playlist by artists the listener already plays. */
  knownArtistShare: number;
  /** Maximal-marginal-relevance trade-off: 0 = pure score, 1 = pure diversity. */
  diversity: number;
  /** Leave out tracks the listener skipped or disliked, and artists they disliked. */
  excludeSkipped: boolean;
  /**
   * Slots of each weekly playlist drawn at random from the blend's wider candidate pool, with
   * their probabilities logged (weekly/exploration.ts); 0..playlistSize, default 3. A version
   * saved before this existed reads as the default.
   */
  explorationSlots?: number;
}

export const defaultBlendWeights: BlendWeights = { collaborative: 1, text: 0.3, audio: 0.3, popularity: 0.1, novelty: 0 };
export const defaultBlendConstraints: BlendConstraints = {
  playlistSize: 30,
  artistCap: 2,
  knownArtistShare: 0.3,
  diversity: 0.2,
  excludeSkipped: true,
  explorationSlots: 3,
};

export function validateBlend(weights: BlendWeights, constraints: BlendConstraints): void {
  for (const [name, value] of Object.entries(weights)) {
    if (!Number.isFinite(value) || value < 0 || value > 10) throw new RangeError(`weights.${name} must be a number 0..10, got ${value}`);
  }
  const c = constraints;
  if (!Number.isInteger(c.playlistSize) || c.playlistSize < 1 || c.playlistSize > 100)
    throw new RangeError(`constraints.playlistSize must be an integer 1..100, got ${c.playlistSize}`);
  if (!Number.isInteger(c.artistCap) || c.artistCap < 1 || c.artistCap > 30)
    throw new RangeError(`constraints.artistCap must be an integer 1..30, got ${c.artistCap}`);
  if (!(c.knownArtistShare >= 0 && c.knownArtistShare <= 1)) throw new RangeError(`constraints.knownArtistShare must be 0..1, got ${c.knownArtistShare}`);
  if (!(c.diversity >= 0 && c.diversity <= 1)) throw new RangeError(`constraints.diversity must be 0..1, got ${c.diversity}`);
  if (c.explorationSlots != null && (!Number.isInteger(c.explorationSlots) || c.explorationSlots < 0 || c.explorationSlots > c.playlistSize)) {
    throw new RangeError(`constraints.explorationSlots must be an integer 0..playlistSize (${c.playlistSize}), got ${c.explorationSlots}`);
  }
}

/** The active blend configuration, creating version 1 with the defaults on a fresh database. */
export async function activeBlendConfig(db: Database) {
  const active = await db.prisma.blendConfig.findFirst({ where: { isActive: true } });
  if (active) return active;
  return db.prisma.blendConfig.upsert({
    where: { version: 1 },
    update: {},
    create: {
      version: 1,
      weights: { ...defaultBlendWeights },
      constraints: { ...defaultBlendConstraints },
      author: "deepcuts",
      note: "defaults",
      isActive: true,
    },
  });
}
