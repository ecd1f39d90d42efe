/** Artists of the demo world: genre, popularity (a long tail), hometown and signature phrases. */
import { shuffle } from "@deepcuts/models/core";
import { artistName, CITIES } from "./catalogue/names.ts";
import { apportion, logNormal, pick, streamRandom } from "./draw.ts";
import type { DemoArtist, DemoGenre } from "./types.ts";

const MOTIF_ADJECTIVES = [
  "battered",
  "borrowed",
  "detuned",
  "homemade",
  "vintage",
  "broken",
  "tiny",
  "haunted",
  "rusty",
  "hand-built",
  "secondhand",
  "cracked",
];
const MOTIF_OBJECTS = [
  "toy piano",
  "cello",
  "tape loops",
  "field recordings",
  "church organ",
  "drum machine",
  "twelve-string",
  "glockenspiel",
  "theremin",
  "music box",
  "mellotron",
  "kalimba",
  "trumpet",
  "pedal steel",
  "harmonium",
  "vocoder",
];

// Zipf exponent of artist popularity by rank: a few stars, a long tail (Zipf's law).
const ARTIST_ZIPF = 0.9;

export function padKey(prefix: string, index: number, total: number, minWidth: number): string {
  return `${prefix}-${String(index + 1).padStart(Math.max(minWidth, String(total).length), "0")}`;
}

export function buildArtists(count: number, genres: DemoGenre[], seed: number, nowYear: number): Omit<DemoArtist, "bio">[] {
  const random = streamRandom(seed, "artists");
  // Genre sizes vary (some scenes are bigger); every genre keeps at least one artist.
  const genreWeights = genres.map(() => logNormal(random, 1, 0.4));
  const perGenre = apportion(genreWeights, count - genres.length);
  const genreOfArtist: number[] = [];
  genres.forEach((_, g) => {
    for (let i = 0; i <= perGenre[g]; i++) genreOfArtist.push(g);
  });
  shuffle(genreOfArtist, random);
  const ranks = Int32Array.from({ length: count }, (_, i) => i);
  shuffle(ranks, random);
  const usedNames = new Set<string>();
  return genreOfArtist.map((g, i) => {
    let name = artistName(random);
    for (let n = 2; usedNames.has(name); n++) name = `${artistName(random)}${n > 4 ? ` ${n}` : ""}`;
    usedNames.add(name);
    const genre = genres[g];
    const phrases = new Set<string>();
    while (phrases.size < 2) phrases.add(pick(genre.vocabulary, random));
    phrases.add(`${pick(MOTIF_ADJECTIVES, random)} ${pick(MOTIF_OBJECTS, random)}`);
    return {
      key: padKey("demo-artist", i, count, 4),
      name,
      genre: genre.key,
      hometown: pick(CITIES, random),
      formedYear: nowYear - 1 - Math.floor(random() * 30),
      popularity: Math.pow(ranks[i] + 1, -ARTIST_ZIPF),
      signaturePhrases: [...phrases],
    };
  });
}
