import type { Database } from "@deepcuts/db";
import { csrFromTriples, IdIndex, type Csr } from "@deepcuts/models/core";

/** Weights that turn a listener's signals on a track into one confidence value. */
export interface SignalWeights {
  stream: number;
  save: number;
  /** Each artist-page visit counts towards every track of that artist the listener played. */
  artistVisit: number;
}

export const defaultSignalWeights: SignalWeights = { stream: 1, save: 5, artistVisit: 0.5 };

/** The listener x track matrix with the id maps that lead back to database ids. */
export interface Interactions {
  userItems: Csr;
  users: IdIndex<number>;
  items: IdIndex<number>;
  /** Level of the items: tracks normally; artists for artist-level data such as Last.fm 2K. */
  level: "track" | "artist";
}

/**
 * Loads training data: per listener and track, weighted streams + saves + artist visits.
 * Skips and dislikes are not positive signals and are left out here (the weekly generation
 * filters them). When the database has no track-level data but has artist-level play counts
 * (Last.fm 2K), the matrix is listener x artist instead.
 */
export async function loadInteractions(db: Database, weights: SignalWeights = defaultSignalWeights): Promise<Interactions> {
  const users = new IdIndex<number>();
  const items = new IdIndex<number>();
  const allTracks = await db.query<{ id: number }>(`SELECT id FROM tracks ORDER BY id`);
  let level: Interactions["level"] = "track";
  let rows: { user_id: number; item_id: number; value: number }[];
  if (allTracks.length > 0) {
    for (const t of allTracks) items.add(t.id);
    rows = await db.query(
      `SELECT s.user_id, s.track_id AS item_id,
              ($1::float8 * s.streams + $2::float8 * s.saves + $3::float8 * coalesce(a.visits, 0))::float8 AS value
       FROM user_track_stats s
       JOIN tracks t ON t.id = s.track_id
       LEFT JOIN user_artist_stats a ON a.user_id = s.user_id AND a.artist_id = t.artist_id
       WHERE s.streams > 0 OR s.saves > 0
       ORDER BY s.user_id`,
      [weights.stream, weights.save, weights.artistVisit],
    );
  } else {
    level = "artist";
    for (const a of await db.query<{ id: number }>(`SELECT id FROM artists ORDER BY id`)) items.add(a.id);
    rows = await db.query(`SELECT user_id, artist_id AS item_id, plays::float8 AS value FROM user_artist_stats WHERE plays > 0 ORDER BY user_id`);
  }
  for (const u of await db.query<{ id: number }>(`SELECT id FROM users ORDER BY id`)) users.add(u.id);
  const n = rows.length;
  const r = new Int32Array(n), c = new Int32Array(n), v = new Float32Array(n);
  rows.forEach((row, k) => {
    r[k] = users.indexOf(row.user_id);
    c[k] = items.indexOf(row.item_id);
    v[k] = row.value;
  });
  return { userItems: csrFromTriples(users.size, items.size, { rows: r, cols: c, values: v }), users, items, level };
}
