/** Plain data of a demo world: everything here can be inserted into a database as is. */

export type PitchClass = "C" | "C#" | "D" | "D#" | "E" | "F" | "F#" | "G" | "G#" | "A" | "A#" | "B";
export type Mode = "major" | "minor";

/** How a genre sounds when synthesized: oscillator mix, rhythm and articulation. */
export interface DemoTimbre {
  /** Oscillator mix of the chord voice; weights sum to 1. */
  wave: { sine: number; saw: number; square: number };
  /** 0 (dark, few harmonics) .. 1 (bright, many harmonics). */
  brightness: number;
  bassWave: "sine" | "saw" | "square";
  chordStyle: "pad" | "stab" | "pluck";
  /** Delay of every off-beat eighth, as a fraction of an eighth note (0 straight, 0.33 triplet swing). */
  swing: number;
  drumPattern: "four-on-floor" | "backbeat" | "breakbeat" | "boom-bap";
  /** Hi-hat hits per beat. */
  hatsPerBeat: 2 | 4;
  /** Level of the drum bus relative to the harmony. */
  drumLevel: number;
  /** Level of a vinyl-like noise floor (lo-fi), 0 for none. */
  noiseFloor: number;
}

export interface DemoGenre {
  key: string;
  name: string;
  /** Inclusive BPM range of its tracks; every range is narrower than an octave. */
  tempoRange: [number, number];
  /** Share of its tracks in a major key. */
  majorShare: number;
  /** Relative weight of each tonic, indexed C..B (12 entries). */
  keyWeights: number[];
  /** Typical track length in seconds (median of a log-normal). */
  typicalDurationS: number;
  timbre: DemoTimbre;
  /** Keys of genres that sound and read alike: they share vocabulary and listeners. */
  neighbours: string[];
  /** Words and noun phrases writers use about it (shared in part with its neighbours). */
  vocabulary: string[];
}

export interface DemoArtist {
  /** Stable external id, e.g. "demo-artist-0001". */
  key: string;
  name: string;
  /** Genre key. */
  genre: string;
  hometown: string;
  formedYear: number;
  /** Relative draw weight in (0, 1]; the most popular artist is 1. */
  popularity: number;
  /** Phrases this artist's texts keep returning to (ground truth for text similarity). */
  signaturePhrases: string[];
  bio: string;
}

export interface DemoTrack {
  /** Stable external id, e.g. "demo-track-00001". */
  key: string;
  title: string;
  artistKey: string;
  durationMs: number;
  releaseDate: Date;
  /** True tempo of the synthesized audio, integer BPM. */
  tempo: number;
  /** True tonic of the synthesized audio ("key" is taken by the external id). */
  musicalKey: PitchClass;
  mode: Mode;
  genre: string;
  /** Released in the 7 days before `now`: no events at all. */
  isColdStart: boolean;
  /** Relative draw weight in (0, 1]; the most popular track is 1. Events follow popularity x taste. */
  popularity: number;
}

export interface DemoUser {
  /** Stable external id, e.g. "demo-user-000001". */
  key: string;
  name: string;
  /** IANA time zone. */
  timeZone: string;
  /** Taste mixture over genres, heaviest first; weights sum to 1. */
  tasteGenres: { genre: string; weight: number }[];
  /** Artists picked at onboarding, from the top taste genre. */
  seedArtistKeys: string[];
  /** Exact number of events `events(world)` yields for this user (0 for a cold listener). */
  eventCount: number;
}

export interface DemoDocument {
  key: string;
  entityKind: "artist" | "track";
  entityKey: string;
  source: "blog" | "review" | "bio" | "tag";
  text: string;
}

/** A web article about several artists, as a music site would publish it (see text/articles.ts). */
export interface DemoArticle {
  /** Stable external id, e.g. "demo-article-00001". */
  key: string;
  /** Under a reserved host nothing resolves: the articles are loaded, not fetched. */
  url: string;
  title: string;
  source: "blog" | "review" | "news";
  publishedAt: Date;
  text: string;
  /** The artists the writer named (ground truth for the linker). */
  artistKeys: string[];
}

export type DemoEventKind = "stream" | "save" | "artist_visit" | "skip";

export interface DemoEvent {
  /** Unique, deterministic client-supplied id. */
  eventId: string;
  userKey: string;
  /** For "artist_visit", the track whose artist page was opened. */
  trackKey: string;
  kind: DemoEventKind;
  at: Date;
  /** Milliseconds played, for "stream" and "skip"; undefined otherwise. */
  msPlayed: number | undefined;
}

export interface DemoWorld {
  seed: number;
  /** End of the year of events (exclusive). */
  now: Date;
  /** Start of the year of events: now minus 365 days. */
  yearStart: Date;
  genres: DemoGenre[];
  artists: DemoArtist[];
  tracks: DemoTrack[];
  users: DemoUser[];
  documents: DemoDocument[];
  /** Web articles for the crawler's linker and co-mention similarity. */
  articles: DemoArticle[];
  /** Exact total of `events(world)`: the sum of users' eventCount. */
  eventCount: number;
}
