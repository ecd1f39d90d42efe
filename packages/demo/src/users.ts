/** Listeners: time zone, a taste mixture over genres, onboarding artists and how active they are. */
import { shuffle } from "@deepcuts/models/core";
import { listenerName, TIME_ZONES } from "./catalogue/names.ts";
import { padKey } from "./artists.ts";
import { AliasTable, apportion, logNormal, pick, pickWeighted, streamRandom, uniformInt } from "./draw.ts";
import type { DemoArtist, DemoGenre, DemoUser } from "./types.ts";

/** Listeners with no events at all, and with 1..5 events, for cold-listener paths. */
export function coldListenerCounts(listeners: number): { none: number; light: number } {
  if (listeners < 40) return { none: 0, light: 0 };
  return { none: Math.max(3, Math.round(listeners * 0.005)), light: Math.max(3, Math.round(listeners * 0.01)) };
}

function tasteMixture(genres: DemoGenre[], genreWeights: number[], random: () => number) {
  const primary = pickWeighted(genreWeights, random);
  const chosen = [primary];
  const extra = pickWeighted([0.25, 0.4, 0.25, 0.1], random);
  for (let i = 0; i < extra; i++) {
    // Second tastes lean towards kin genres, as real listeners' do.
    const base = genres[chosen[chosen.length - 1]];
    const neighbour = pick(base.neighbours, random);
    const candidate = random() < 0.7 ? genres.findIndex((g) => g.key === neighbour) : Math.floor(random() * genres.length);
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  const raw = chosen.map((_, i) => (i === 0 ? 1.5 + random() : 0.3 + random() * 0.7));
  const total = raw.reduce((s, w) => s + w, 0);
  return chosen.map((g, i) => ({ genre: genres[g].key, weight: raw[i] / total })).sort((x, y) => y.weight - x.weight);
}

export function buildUsers(count: number, totalEvents: number, genres: DemoGenre[], artists: Omit<DemoArtist, "bio">[], seed: number): DemoUser[] {
  const random = streamRandom(seed, "users");
  // A genre attracts listeners in proportion to the popularity of its artists.
  const genreWeights = genres.map((g) => artists.reduce((s, a) => s + (a.genre === g.key ? a.popularity : 0), 0) + 0.05);
  const artistTables = new Map(
    genres.map((g) => {
      const members = artists.flatMap((a, i) => (a.genre === g.key ? [i] : []));
      return [
        g.key,
        {
          size: members.length,
          table: new AliasTable(
            members,
            members.map((i) => artists[i].popularity),
          ),
        },
      ];
    }),
  );

  const cold = coldListenerCounts(count);
  const roles = new Uint8Array(count); // 0 regular, 1 no history, 2 light
  const order = Int32Array.from({ length: count }, (_, i) => i);
  shuffle(order, random);
  for (let i = 0; i < cold.none; i++) roles[order[i]] = 1;
  for (let i = cold.none; i < cold.none + cold.light; i++) roles[order[i]] = 2;

  // Activity is log-normal: most people listen a little, a few listen all day.
  const activity = new Float64Array(count);
  const lightEvents = new Int32Array(count);
  let lightTotal = 0;
  for (let u = 0; u < count; u++) {
    if (roles[u] === 0) activity[u] = Math.min(40, logNormal(random, 1, 1.0));
    else if (roles[u] === 2 && lightTotal < totalEvents) {
      lightEvents[u] = Math.min(uniformInt(random, 1, 5), totalEvents - lightTotal);
      lightTotal += lightEvents[u];
    }
  }
  const regular = apportion(activity, totalEvents - lightTotal);

  return Array.from({ length: count }, (_, u) => {
    const tasteGenres = tasteMixture(genres, genreWeights, random);
    const pool = artistTables.get(tasteGenres[0].genre)!;
    const seedArtistKeys = new Set<string>();
    for (let k = 0; k < 6 && seedArtistKeys.size < Math.min(3, pool.size); k++) {
      seedArtistKeys.add(artists[pool.table.draw(random)].key);
    }
    return {
      key: padKey("demo-user", u, count, 6),
      name: listenerName(random),
      timeZone: pick(TIME_ZONES, random).zone,
      tasteGenres,
      seedArtistKeys: [...seedArtistKeys],
      eventCount: roles[u] === 0 ? regular[u] : lightEvents[u],
    };
  });
}
