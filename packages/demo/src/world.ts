/** generateWorld: the seeded, deterministic demo world (everything but events and audio). */
import { demoGenres } from "./catalogue/genres.ts";
import { buildArtists } from "./artists.ts";
import { buildTracks, DAY_MS } from "./tracks.ts";
import { buildUsers } from "./users.ts";
import { buildDocuments } from "./text/documents.ts";
import { buildArticles } from "./text/articles.ts";
import { resolveWorldSize, type GenerateWorldOptions } from "./options.ts";
import type { DemoWorld } from "./types.ts";

export function generateWorld(options: GenerateWorldOptions = {}): DemoWorld {
  const genres = demoGenres();
  const size = resolveWorldSize(options, genres.length);
  const { seed, now } = size;
  const baseArtists = buildArtists(size.artists, genres, seed, now.getUTCFullYear());
  const tracks = buildTracks(size.tracks, baseArtists, genres, seed, now);
  const users = buildUsers(size.listeners, size.events, genres, baseArtists, seed);
  const { documents, bios } = buildDocuments(genres, baseArtists, tracks, seed);
  const artists = baseArtists.map((a, i) => ({ ...a, bio: bios[i] }));
  return {
    seed,
    now: new Date(now.getTime()),
    yearStart: new Date(now.getTime() - 365 * DAY_MS),
    genres,
    artists,
    tracks,
    users,
    documents,
    articles: buildArticles(genres, baseArtists, seed, now),
    eventCount: size.events,
  };
}
