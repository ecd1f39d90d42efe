import type { Database } from "@deepcuts/db";
import { decodeItemScores } from "../training/popularity.ts";
import { activeModelVersion } from "../training/model-versions.ts";
import type { BlendConstraints } from "./blend-config.ts";

/** The catalogue as the weekly generation sees it, loaded once per run. */
export interface Catalog {
  trackIds: Int32Array;
  artistOf: Map<number, number>;
  artistName: Map<number, string>;
  /** Track ids by descending popularity. */
  byPopularity: number[];
  popularity: Map<number, number>;
  modelVersions: Record<string, number>;
}

export interface ListenerHistory {
  heard: Set<number>;
  avoid: Set<number>;
  avoidArtists: Set<number>;
  knownArtists: Map<number, number>;
  seedArtists: number[];
}

export interface PickedItem {
  trackId: number;
  score: number;
  scores: Record<string, number>;
  reason: string;
}

export async function loadCatalog(db: Database): Promise<Catalog> {
  const tracks = await db.query<{ id: number; artist_id: number }>(`SELECT id, artist_id FROM tracks ORDER BY id`);
  const artists = await db.query<{ id: number; name: string }>(`SELECT id, name FROM artists`);
  const popularity = new Map<number, number>();
  const modelVersions: Record<string, number> = {};
  const model = await activeModelVersion(db, "POPULARITY");
  if (model?.artifact) {
    const { ids, scores } = decodeItemScores(model.artifact);
    ids.forEach((id, i) => popularity.set(id, scores[i]));
    modelVersions.POPULARITY = model.id;
  } else {
    const rows = await db.query<{ track_id: number; n: number }>(`SELECT track_id, count(*)::int AS n FROM user_track_stats WHERE streams > 0 GROUP BY track_id`);
    for (const r of rows) popularity.set(r.track_id, r.n);
  }
  const byPopularity = tracks.map((t) => t.id).sort((a, b) => (popularity.get(b) ?? 0) - (popularity.get(a) ?? 0) || a - b);
  return {
    trackIds: Int32Array.from(tracks, (t) => t.id),
    artistOf: new Map(tracks.map((t) => [t.id, t.artist_id])),
    artistName: new Map(artists.map((a) => [a.id, a.name])),
    byPopularity,
    popularity,
    modelVersions,
  };
}

/**
 * Fills one playlist from the popularity ranking under the constraints: never-heard tracks
 * only, nothing skipped or disliked, at most `artistCap` per artist, and at most
 * `knownArtistShare` of the list by artists the listener already plays. A listener with no
 * history starts from their seed artists. Status SHORT when the catalogue runs out.
 */
export function pickPlaylist(catalog: Catalog, history: ListenerHistory, c: BlendConstraints): { status: "COMPLETE" | "SHORT" | "COLD_START"; items: PickedItem[] } {
  const cold = history.heard.size === 0;
  const perArtist = new Map<number, number>();
  const maxKnown = Math.floor(c.knownArtistShare * c.playlistSize);
  let known = 0;
  const items: PickedItem[] = [];
  const topScore = catalog.popularity.get(catalog.byPopularity[0]) || 1;
  const consider = (trackId: number, reason: string) => {
    if (items.length >= c.playlistSize || history.heard.has(trackId)) return;
    const artist = catalog.artistOf.get(trackId)!;
    if (c.excludeSkipped && (history.avoid.has(trackId) || history.avoidArtists.has(artist))) return;
    if ((perArtist.get(artist) ?? 0) >= c.artistCap) return;
    const isKnown = history.knownArtists.has(artist);
    if (isKnown && !cold && known >= maxKnown) return;
    if (items.some((i) => i.trackId === trackId)) return;
    perArtist.set(artist, (perArtist.get(artist) ?? 0) + 1);
    if (isKnown) known++;
    const popularity = (catalog.popularity.get(trackId) ?? 0) / topScore;
    items.push({ trackId, score: popularity, scores: { popularity }, reason });
  };
  const seeds = new Set(history.seedArtists);
  if (cold && seeds.size > 0) {
    for (const trackId of catalog.byPopularity) {
      const artist = catalog.artistOf.get(trackId)!;
      if (seeds.has(artist)) consider(trackId, `because you picked ${catalog.artistName.get(artist)} when you joined`);
    }
  }
  for (const trackId of catalog.byPopularity) {
    const artist = catalog.artistOf.get(trackId)!;
    const reason = history.knownArtists.has(artist)
      ? `more from ${catalog.artistName.get(artist)}, whom you play`
      : "popular with Deepcuts listeners, and new to you";
    consider(trackId, reason);
    if (items.length >= c.playlistSize) break;
  }
  const status = cold ? "COLD_START" : items.length < c.playlistSize ? "SHORT" : "COMPLETE";
  return { status, items };
}
