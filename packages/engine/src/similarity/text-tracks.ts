import type { Database } from "@deepcuts/db";
import type { ServedIndex } from "./index-cache.ts";

export interface TextTrackNeighbour {
  id: number;
  score: number;
  /** By the query track's artist: under an inherited vector its cosine is 1 by construction. */
  sameArtist: boolean;
}

/** Score ties closer than this are one artist's inherited vector seen several times. */
const TIE = 1e-6;

/**
 * Text neighbours of a track. A track without text of its own carries its artist's vector
 * (marked inherited), so every track of that artist scores 1.000 against it and every track of
 * a related artist ties with its siblings. The list is ordered for a curator instead:
 * - tracks by the same artist are marked `sameArtist` and, when the query's vector is
 *   inherited, come first (their 1.000 says "same artist", not "same sound");
 * - the other tracks follow by score, with each related artist's tied tracks dealt out in
 *   rounds (one per artist and score, best artist first), so related artists appear one after
 *   another instead of as blocks of identical scores. Tracks with text of their own have
 *   distinct scores and keep plain score order.
 */
export async function textTrackNeighbours(db: Database, served: ServedIndex, trackId: number, first: number): Promise<TextTrackNeighbour[]> {
  const row = served.index.rowOf(trackId);
  const [query] = await db.query<{ artist_id: number; inherited: boolean }>(
    `SELECT t.artist_id, coalesce(v.inherited, false) AS inherited FROM tracks t
     LEFT JOIN vectors v ON v.model_version_id = $2 AND v.entity_kind = 'TRACK' AND v.entity_id = t.id WHERE t.id = $1`,
    [trackId, served.versionId],
  );
  // Enough candidates to deal rounds from: the query artist's own tracks plus several per related artist.
  const found = served.index.search(served.index.vectorAt(row), Math.min(Math.max(4 * first, first + 60), 400), new Set([trackId]));
  const ids = Array.from(found.ids);
  const artists = await db.query<{ id: number; artist_id: number }>(`SELECT id, artist_id FROM tracks WHERE id = ANY($1::int[])`, [ids]);
  const artistOf = new Map(artists.map((a) => [a.id, a.artist_id]));
  const candidates = ids.map((id, i) => ({ id, score: found.scores[i], sameArtist: query !== undefined && artistOf.get(id) === query.artist_id }));
  const same = query?.inherited ? candidates.filter((c) => c.sameArtist) : [];
  const rest = query?.inherited ? candidates.filter((c) => !c.sameArtist) : candidates;
  // Round of each track: how many earlier tracks share its artist and (tied) score.
  const seen = new Map<string, number>();
  const ranked = rest.map((c, order) => {
    const key = `${artistOf.get(c.id) ?? -c.id}:${Math.round(c.score / TIE)}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    return { c, round, order };
  });
  ranked.sort((a, b) => a.round - b.round || a.order - b.order);
  return [...same, ...ranked.map((r) => r.c)].slice(0, first);
}
