import type { Database } from "@deepcuts/db";
import { combineSignals, type SignalWeights } from "@deepcuts/models/cf";
import { csrFromTriples, IdIndex, type Csr } from "@deepcuts/models/core";

/** The listener x item matrix with the id maps that lead back to database ids. */
export interface Interactions {
  userItems: Csr;
  /** Listeners in id order: dense index = rank of the database id. */
  users: IdIndex<number>;
  /** Items (tracks, or artists for artist-level data) in id order. */
  items: IdIndex<number>;
  /** Level of the items: tracks normally; artists for artist-level data such as Last.fm 2K. */
  level: "track" | "artist";
  /**
   * Explicit negative feedback, same shape as userItems: per listener and track never streamed
   * or saved, skips + NOT_FOR_ME_STRENGTH x "not for me". Null at artist level. Logistic MF takes
   * it (`fit(..., { negatives })`); ALS has no place for it.
   */
  negatives: Csr | null;
}

/** A "not for me" says no more firmly than a skip: it counts as this many skips. */
export const NOT_FOR_ME_STRENGTH = 3;

/**
 * Loads training data: per listener and track, streams, saves and artist-page visits (a visit
 * counts towards every track of that artist the listener played), combined with
 * `combineSignals`. Skips and dislikes are not positive signals: they come apart, as `negatives`
 * (the weekly generation also filters them). When the database has no track-level data but has
 * artist-level play counts (Last.fm 2K), the matrix is listener x artist instead.
 */
export async function loadInteractions(db: Database, weights: Partial<SignalWeights> = {}): Promise<Interactions> {
  const users = new IdIndex<number>();
  const items = new IdIndex<number>();
  for (const u of await db.query<{ id: number }>(`SELECT id FROM users ORDER BY id`)) users.add(u.id);
  const trackIds = await db.query<{ id: number }>(`SELECT id FROM tracks ORDER BY id`);
  if (trackIds.length === 0) {
    for (const a of await db.query<{ id: number }>(`SELECT id FROM artists ORDER BY id`)) items.add(a.id);
    const rows = await db.query<{ user_id: number; artist_id: number; plays: number }>(
      `SELECT user_id, artist_id, plays FROM user_artist_stats WHERE plays > 0`,
    );
    const streams = toCsr(
      users,
      items,
      rows.map((r) => [r.user_id, r.artist_id, r.plays]),
    );
    return { userItems: combineSignals({ streams }, weights), users, items, level: "artist", negatives: null };
  }
  for (const t of trackIds) items.add(t.id);
  const rows = await db.query<{ user_id: number; track_id: number; streams: number; saves: number; visits: number }>(
    `SELECT s.user_id, s.track_id, s.streams, s.saves, coalesce(a.visits, 0) AS visits
     FROM user_track_stats s
     JOIN tracks t ON t.id = s.track_id
     LEFT JOIN user_artist_stats a ON a.user_id = s.user_id AND a.artist_id = t.artist_id
     WHERE s.streams > 0 OR s.saves > 0`,
  );
  const matrix = (pick: (r: (typeof rows)[number]) => number) =>
    toCsr(
      users,
      items,
      rows.filter((r) => pick(r) > 0).map((r) => [r.user_id, r.track_id, pick(r)]),
    );
  const userItems = combineSignals({ streams: matrix((r) => r.streams), saves: matrix((r) => r.saves), visits: matrix((r) => r.visits) }, weights);
  const negativeRows = await db.query<{ user_id: number; track_id: number; strength: number }>(
    `SELECT user_id, track_id, (skips + ${NOT_FOR_ME_STRENGTH} * dislikes)::int AS strength
     FROM user_track_stats WHERE streams = 0 AND saves = 0 AND (skips > 0 OR dislikes > 0)`,
  );
  const negatives = toCsr(
    users,
    items,
    negativeRows.map((r) => [r.user_id, r.track_id, r.strength]),
  );
  return { userItems, users, items, level: "track", negatives };
}

function toCsr(users: IdIndex<number>, items: IdIndex<number>, triples: [number, number, number][]): Csr {
  const n = triples.length;
  const rows = new Int32Array(n),
    cols = new Int32Array(n),
    values = new Float32Array(n);
  triples.forEach(([u, i, v], k) => {
    rows[k] = users.indexOf(u);
    cols[k] = items.indexOf(i);
    values[k] = v;
  });
  return csrFromTriples(users.size, items.size, { rows, cols, values });
}
