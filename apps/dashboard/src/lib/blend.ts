/** Blend settings as the API's BlendConfig carries them (see apps/api schema.graphql). */
export interface BlendWeights {
  collaborative: number;
  text: number;
  audio: number;
  popularity: number;
  novelty: number;
}

export interface BlendConstraints {
  playlistSize: number;
  artistCap: number;
  knownArtistShare: number;
  diversity: number;
  excludeSkipped: boolean;
}

export interface BlendConfig {
  id: number;
  version: number;
  note: string;
  author: string;
  isActive: boolean;
  createdAt: string;
  weights: BlendWeights;
  constraints: BlendConstraints;
}

export const WEIGHT_NAMES = ["collaborative", "text", "audio", "popularity", "novelty"] as const satisfies readonly (keyof BlendWeights)[];

export const BLEND_CONFIG_FIELDS = `id version note author isActive createdAt
  weights { collaborative text audio popularity novelty }
  constraints { playlistSize artistCap knownArtistShare diversity excludeSkipped }`;

/** One colour per model, shared by the sliders, the contribution bars and their legend. */
export const MODEL_COLOURS: Record<(typeof WEIGHT_NAMES)[number], string> = {
  collaborative: "#1f6f5c",
  text: "#7a4fb3",
  audio: "#d9822b",
  popularity: "#3a78c2",
  novelty: "#c2418a",
};
