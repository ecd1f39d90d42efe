/** The genres of the demo world: tempo, key habits, timbre and the words writers use. */
import type { DemoGenre, DemoTimbre } from "../types.ts";

// Families of genres share part of their vocabulary, so text similarity follows musical kinship.
const FAMILY_WORDS: Record<string, string[]> = {
  guitar: ["jangling guitars", "chorus pedal", "live drums", "garage", "four-piece", "riffs",
    "chiming guitar", "basement shows", "fuzz", "rehearsal room", "tape hiss", "b-side"],
  electronic: ["synth", "drum machine", "club", "producer", "modular", "sequencer", "warehouse",
    "dancefloor", "sidechain", "analog synths", "white label", "dj set"],
  groove: ["sampled", "crate digging", "dusty drums", "swing", "rhodes", "vinyl", "groove",
    "loop", "head nod", "mpc", "basslines", "pocket"],
};

interface GenreSpec {
  key: string;
  name: string;
  family: keyof typeof FAMILY_WORDS;
  tempoRange: [number, number];
  majorShare: number;
  /** Favoured tonics; the others keep a small weight. */
  favouredKeys: string[];
  typicalDurationS: number;
  timbre: DemoTimbre;
  neighbors: string[];
  words: string[];
}

const SPECS: GenreSpec[] = [
  {
    key: "indie-rock", name: "Indie Rock", family: "guitar", tempoRange: [108, 138], majorShare: 0.62,
    favouredKeys: ["E", "A", "D", "G", "C"], typicalDurationS: 215,
    timbre: { wave: { sine: 0.2, saw: 0.5, square: 0.3 }, brightness: 0.7, bassWave: "saw", chordStyle: "stab",
      swing: 0, drumPattern: "backbeat", hatsPerBeat: 2, drumLevel: 0.55, noiseFloor: 0 },
    neighbors: ["post-punk", "indie-folk", "dream-pop"],
    words: ["anthemic chorus", "scrappy", "overdriven guitars", "wiry", "slacker", "college radio",
      "singalong", "power chords", "earnest vocals", "lo-fi charm", "arena-ready hooks", "cardigan",
      "indie darlings", "festival tent", "bittersweet", "sunburnt", "scuffed", "melodic bass"],
  },
  {
    key: "post-punk", name: "Post-Punk", family: "guitar", tempoRange: [130, 160], majorShare: 0.25,
    favouredKeys: ["E", "A", "B", "D", "F#"], typicalDurationS: 200,
    timbre: { wave: { sine: 0, saw: 0.3, square: 0.7 }, brightness: 0.85, bassWave: "square", chordStyle: "stab",
      swing: 0, drumPattern: "backbeat", hatsPerBeat: 4, drumLevel: 0.6, noiseFloor: 0 },
    neighbors: ["indie-rock", "synthwave"],
    words: ["angular guitars", "driving bass", "baritone vocals", "cold", "nervy", "brittle",
      "motorik drums", "gloom", "austere", "industrial city", "clanging", "detached", "trebly",
      "monochrome", "jittery rhythm", "darkwave", "urgent", "wiry bassline"],
  },
  {
    key: "dream-pop", name: "Dream Pop", family: "guitar", tempoRange: [78, 104], majorShare: 0.55,
    favouredKeys: ["D", "A", "E", "F", "C"], typicalDurationS: 250,
    timbre: { wave: { sine: 0.7, saw: 0.2, square: 0.1 }, brightness: 0.3, bassWave: "sine", chordStyle: "pad",
      swing: 0, drumPattern: "backbeat", hatsPerBeat: 2, drumLevel: 0.35, noiseFloor: 0 },
    neighbors: ["indie-rock", "synthwave", "indie-folk", "lo-fi"],
    words: ["shimmering", "reverb-drenched", "hazy", "ethereal vocals", "washed-out", "gauzy",
      "shoegaze", "wall of sound", "airy", "weightless", "glacial", "whispered", "swirling guitars",
      "half-asleep", "pastel", "dreamy", "soft focus", "luminous"],
  },
  {
    key: "synthwave", name: "Synthwave", family: "electronic", tempoRange: [84, 112], majorShare: 0.3,
    favouredKeys: ["A", "F", "C", "D", "E"], typicalDurationS: 260,
    timbre: { wave: { sine: 0.1, saw: 0.8, square: 0.1 }, brightness: 0.6, bassWave: "saw", chordStyle: "pad",
      swing: 0, drumPattern: "backbeat", hatsPerBeat: 4, drumLevel: 0.5, noiseFloor: 0 },
    neighbors: ["post-punk", "dream-pop", "deep-house"],
    words: ["driving synth bass", "neon", "retro-futurist", "gated snare", "outrun", "vhs",
      "eighties nostalgia", "arpeggiated", "chrome", "night drive", "cinematic", "laser", "sunset",
      "cassette", "shimmering pads", "pulsing", "retro", "soundtrack"],
  },
  {
    key: "deep-house", name: "Deep House", family: "electronic", tempoRange: [118, 125], majorShare: 0.4,
    favouredKeys: ["A", "F", "G", "C", "D#"], typicalDurationS: 390,
    timbre: { wave: { sine: 0.4, saw: 0.3, square: 0.3 }, brightness: 0.45, bassWave: "sine", chordStyle: "stab",
      swing: 0.1, drumPattern: "four-on-floor", hatsPerBeat: 2, drumLevel: 0.6, noiseFloor: 0 },
    neighbors: ["techno", "synthwave", "lo-fi"],
    words: ["four-on-the-floor", "warm chords", "soulful", "late-night", "chord stabs", "rolling",
      "smoky late-night vocals", "sunrise set", "organ", "hypnotic", "balearic", "deep", "lush",
      "jacking", "dub chords", "after-hours", "steady kick", "open hats"],
  },
  {
    key: "techno", name: "Techno", family: "electronic", tempoRange: [126, 138], majorShare: 0.15,
    favouredKeys: ["F", "A", "G", "C", "D"], typicalDurationS: 420,
    timbre: { wave: { sine: 0.1, saw: 0.2, square: 0.7 }, brightness: 0.5, bassWave: "square", chordStyle: "stab",
      swing: 0, drumPattern: "four-on-floor", hatsPerBeat: 4, drumLevel: 0.7, noiseFloor: 0 },
    neighbors: ["deep-house", "drum-and-bass"],
    words: ["relentless", "pounding kick", "industrial", "berlin", "peak time", "hypnotic loop",
      "acid", "metallic", "minimal", "stripped back", "concrete", "rumble", "dark room",
      "machine funk", "strobe", "tunnel", "percussive", "mechanical"],
  },
  {
    key: "drum-and-bass", name: "Drum and Bass", family: "electronic", tempoRange: [168, 176], majorShare: 0.2,
    favouredKeys: ["F", "G", "A", "E", "D"], typicalDurationS: 330,
    timbre: { wave: { sine: 0.3, saw: 0.5, square: 0.2 }, brightness: 0.55, bassWave: "sine", chordStyle: "pad",
      swing: 0, drumPattern: "breakbeat", hatsPerBeat: 4, drumLevel: 0.7, noiseFloor: 0 },
    neighbors: ["techno", "hip-hop"],
    words: ["breakbeat", "amen break", "rolling bassline", "sub bass", "jungle", "liquid", "pirate radio",
      "reese bass", "chopped breaks", "rave", "frantic", "halftime drop", "mc", "bass weight",
      "dubplate", "rewind", "high-octane", "atmospheric pads"],
  },
  {
    key: "hip-hop", name: "Boom Bap Hip-Hop", family: "groove", tempoRange: [84, 96], majorShare: 0.3,
    favouredKeys: ["C", "D", "F", "G", "A"], typicalDurationS: 210,
    timbre: { wave: { sine: 0.3, saw: 0.3, square: 0.4 }, brightness: 0.4, bassWave: "sine", chordStyle: "stab",
      swing: 0.25, drumPattern: "boom-bap", hatsPerBeat: 2, drumLevel: 0.75, noiseFloor: 0.01 },
    neighbors: ["lo-fi", "soul-jazz", "drum-and-bass"],
    words: ["boom bap", "punchy snares", "verses", "bars", "lyricist", "cypher", "flow", "wordplay",
      "hook", "beatmaker", "east coast", "storytelling", "mixtape", "hard-hitting", "chopped soul sample",
      "scratches", "underground", "street"],
  },
  {
    key: "lo-fi", name: "Lo-Fi Beats", family: "groove", tempoRange: [70, 88], majorShare: 0.45,
    favouredKeys: ["C", "F", "A#", "D#", "G"], typicalDurationS: 150,
    timbre: { wave: { sine: 0.6, saw: 0.1, square: 0.3 }, brightness: 0.2, bassWave: "sine", chordStyle: "pad",
      swing: 0.3, drumPattern: "boom-bap", hatsPerBeat: 2, drumLevel: 0.5, noiseFloor: 0.03 },
    neighbors: ["hip-hop", "soul-jazz", "dream-pop", "deep-house"],
    words: ["chill", "study beats", "vinyl crackle", "mellow", "cozy", "rainy window", "jazzy chords",
      "warm tape", "late-night study", "lazy", "laid-back", "beats to relax", "muffled", "nostalgic",
      "bedroom producer", "soft keys", "sleepy", "coffee shop"],
  },
  {
    key: "soul-jazz", name: "Soul Jazz", family: "groove", tempoRange: [96, 128], majorShare: 0.5,
    favouredKeys: ["F", "A#", "D#", "C", "G#"], typicalDurationS: 330,
    timbre: { wave: { sine: 0.8, saw: 0.1, square: 0.1 }, brightness: 0.35, bassWave: "sine", chordStyle: "pluck",
      swing: 0.33, drumPattern: "backbeat", hatsPerBeat: 2, drumLevel: 0.4, noiseFloor: 0 },
    neighbors: ["lo-fi", "hip-hop", "indie-folk"],
    words: ["hammond organ", "walking bass", "horn section", "improvisation", "quartet", "smoky club",
      "blue note", "brushed drums", "saxophone", "swinging", "modal", "soloist", "bebop roots",
      "gospel", "upright bass", "tenor sax", "session players", "standards"],
  },
  {
    key: "indie-folk", name: "Indie Folk", family: "guitar", tempoRange: [88, 120], majorShare: 0.7,
    favouredKeys: ["G", "D", "C", "A", "E"], typicalDurationS: 225,
    timbre: { wave: { sine: 0.5, saw: 0.4, square: 0.1 }, brightness: 0.5, bassWave: "sine", chordStyle: "pluck",
      swing: 0.1, drumPattern: "backbeat", hatsPerBeat: 2, drumLevel: 0.3, noiseFloor: 0 },
    neighbors: ["indie-rock", "dream-pop", "soul-jazz"],
    words: ["acoustic guitar", "fingerpicked", "banjo", "harmonies", "cabin", "campfire", "pastoral",
      "hushed vocals", "storyteller", "wooden", "intimate", "folk revival", "harmonica", "rustic",
      "autumnal", "plaintive", "barn", "heartfelt"],
  },
];

const PITCH_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

function keyWeights(favoured: string[]): number[] {
  return PITCH_NAMES.map((name) => {
    const rank = favoured.indexOf(name);
    return rank < 0 ? 0.3 : 3 - rank * 0.4;
  });
}

function vocabulary(spec: GenreSpec): string[] {
  // Each genre borrows three words from each neighbour: kin genres overlap beyond their family.
  const borrowed = spec.neighbors.flatMap((n) => SPECS.find((s) => s.key === n)!.words.slice(0, 3));
  return [...new Set([...spec.words, ...FAMILY_WORDS[spec.family], ...borrowed])];
}

/** The 11 genres, in a fixed order (genre index = position). */
export function demoGenres(): DemoGenre[] {
  return SPECS.map((spec) => ({
    key: spec.key,
    name: spec.name,
    tempoRange: [...spec.tempoRange] as [number, number],
    majorShare: spec.majorShare,
    keyWeights: keyWeights(spec.favouredKeys),
    typicalDurationS: spec.typicalDurationS,
    timbre: { ...spec.timbre, wave: { ...spec.timbre.wave } },
    neighbors: [...spec.neighbors],
    vocabulary: vocabulary(spec),
  }));
}

/** Words of a genre that are its own (not from its family or neighbours). */
export function genreOwnWords(key: string): readonly string[] {
  const spec = SPECS.find((s) => s.key === key);
  if (!spec) throw new RangeError(`unknown genre '${key}'`);
  return spec.words;
}

export const GENRE_COUNT = SPECS.length;
