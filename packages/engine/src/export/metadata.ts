import type { Database } from "@deepcuts/db";

export type ExportEntity = "USER" | "ARTIST" | "TRACK";

/** What an exported row says about its entity, beside its vector or graph node. */
export interface EntityMetadata {
  id: number;
  externalKey: string;
  name: string;
  /** A track's artist; null for artists and listeners. */
  artist: string | null;
  genre: string | null;
  /** Streams of a track, or plays of an artist (streams of its tracks plus imported artist play counts); a listener's streams. */
  plays: number;
}

const SQL: Record<ExportEntity, string> = {
  TRACK: `SELECT t.id, t.external_key, t.title AS name, a.name AS artist, coalesce(t.genre, a.genre) AS genre,
                 coalesce((SELECT sum(s.streams) FROM user_track_stats s WHERE s.track_id = t.id), 0)::float8 AS plays
          FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = ANY($1::int[])`,
  ARTIST: `SELECT a.id, a.external_key, a.name, NULL::text AS artist, a.genre,
                  coalesce((SELECT sum(s.plays) FROM user_artist_stats s WHERE s.artist_id = a.id), 0)::float8 AS plays
           FROM artists a WHERE a.id = ANY($1::int[])`,
  USER: `SELECT u.id, u.external_key, u.name, NULL::text AS artist, NULL::text AS genre,
                coalesce((SELECT sum(s.streams) FROM user_track_stats s WHERE s.user_id = u.id), 0)::float8 AS plays
         FROM users u WHERE u.id = ANY($1::int[])`,
};

/** Metadata of the given entities, by id (ids that do not exist are absent). */
export async function entityMetadata(db: Database, entity: ExportEntity, ids: ArrayLike<number>): Promise<Map<number, EntityMetadata>> {
  const out = new Map<number, EntityMetadata>();
  const all = Array.from(ids);
  for (let i = 0; i < all.length; i += 20_000) {
    const rows = await db.query<{ id: number; external_key: string; name: string; artist: string | null; genre: string | null; plays: number }>(SQL[entity], [
      all.slice(i, i + 20_000),
    ]);
    for (const r of rows) out.set(r.id, { id: r.id, externalKey: r.external_key, name: r.name, artist: r.artist, genre: r.genre, plays: Number(r.plays) });
  }
  return out;
}
