/** Tracks: ground-truth tempo, key and mode, durations, release dates and popularity. */
import { shuffle } from "@deepcuts/models/core";
import { trackTitle } from "./catalogue/names.ts";
import { apportion, logNormal, pickWeighted, streamRandom, uniformInt } from "./draw.ts";
import { padKey } from "./artists.ts";
import type { DemoArtist, DemoGenre, DemoTrack, PitchClass } from "./types.ts";

export const PITCH_CLASSES: PitchClass[] = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
export const DAY_MS = 86_400_000;
export const COLD_START_SHARE = 0.02;
/** Longest track, so that a listening session has a known upper bound on its length. */
export const MAX_DURATION_MS = 540_000;
// Within one artist, later tracks are less popular (Zipf-like decay by the artist's own rank).
const TRACK_RANK_DECAY = 0.7;

export function buildTracks(count: number, artists: Omit<DemoArtist, "bio">[], genres: DemoGenre[], seed: number, now: Date): DemoTrack[] {
  const random = streamRandom(seed, "tracks");
  const genreByKey = new Map(genres.map((g) => [g.key, g]));
  // Popular artists tend to have more tracks; everyone has at least one.
  const weights = artists.map((a) => logNormal(random, 1, 0.7) * (0.3 + a.popularity));
  const perArtist = apportion(weights, count - artists.length);
  const coldCount = Math.min(count, Math.max(1, Math.round(count * COLD_START_SHARE)));
  const isCold = new Uint8Array(count);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffle(order, random);
  for (let i = 0; i < coldCount; i++) isCold[order[i]] = 1;

  const lastDay = Math.floor((now.getTime() - 1) / DAY_MS) * DAY_MS;
  const tracks: DemoTrack[] = [];
  artists.forEach((artist, a) => {
    const genre = genreByKey.get(artist.genre)!;
    const titles = new Set<string>();
    for (let r = 0; r <= perArtist[a]; r++) {
      const t = tracks.length;
      let title = trackTitle(random);
      for (let n = 2; titles.has(title); n++) title = `${trackTitle(random)}${n > 4 ? ` ${n}` : ""}`;
      titles.add(title);
      let releaseDay: number;
      if (isCold[t]) releaseDay = lastDay - Math.floor(random() * 7) * DAY_MS;
      else if (random() < 0.4) releaseDay = lastDay - uniformInt(random, 8, 364) * DAY_MS;
      else releaseDay = lastDay - uniformInt(random, 365, 365 * 8) * DAY_MS;
      const durationS = Math.min(MAX_DURATION_MS / 1000, Math.max(90, logNormal(random, genre.typicalDurationS, 0.2)));
      tracks.push({
        key: padKey("demo-track", t, count, 5),
        title,
        artistKey: artist.key,
        durationMs: Math.round(durationS * 1000),
        releaseDate: new Date(releaseDay),
        tempo: uniformInt(random, genre.tempoRange[0], genre.tempoRange[1]),
        musicalKey: PITCH_CLASSES[pickWeighted(genre.keyWeights, random)],
        mode: random() < genre.majorShare ? "major" : "minor",
        genre: genre.key,
        isColdStart: isCold[t] === 1,
        popularity: artist.popularity * Math.pow(r + 1, -TRACK_RANK_DECAY) * logNormal(random, 1, 0.5),
      });
    }
  });
  let max = 0;
  for (const t of tracks) max = Math.max(max, t.popularity);
  for (const t of tracks) t.popularity /= max;
  return tracks;
}
