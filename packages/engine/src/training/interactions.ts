import type { Database } from "@deepcuts/db";
import { combineSignals, type SignalWeights } from "@deepcuts/models/cf";
import { csrFromTriples, IdIndex, type Csr } from "@deepcuts/models/core";
import { NOT_FOR_ME_STRENGTH, SQL_NEGATIVE_STRENGTH, sqlPositiveTrack } from "../events/kinds.ts";

export { NOT_FOR_ME_STRENGTH };
export type InteractionLevel = "track" | "artist";

/** The listener x item matrix with the id maps that lead back to database ids. */
export interface Interactions {
  userItems: Csr;
  /** Listeners in id order: dense index = rank of the database id. */
  users: IdIndex<number>;
  /** Items (tracks, or artists for artist-level data) in id order. */
  items: IdIndex<number>;
  /** Level of the items: tracks normally; artists for artist-level data such as Last.fm 2K. */
  level: InteractionLevel;
  /** Why this level: asked for, or chosen by `level: "auto"` (and on what evidence). */
  levelReason: string;
  /**
   * Explicit negative feedback, same shape as userItems: per listener and track never streamed
   * or saved, skips + NOT_FOR_ME_STRENGTH x "not for me" (events/kinds.ts). Null at artist level. Logistic MF takes
   * it (`fit(..., { negatives })`); ALS has no place for it.
   */
  negatives: Csr | null;
}

export interface InteractionOptions {
  /** Signal weights over the defaults (events/kinds.ts POSITIVE_WEIGHTS). */
  weights?: Partial<SignalWeights>;
  /**
   * "track": listener x track; "artist": listener x artist from artist-level play counts
   * (user_artist_stats.plays); "auto" (default): tracks when the database has any, else artists
   * (Last.fm 2K has no tracks). The result's `level` and `levelReason` say which was used.
   */
  level?: InteractionLevel | "auto";
}

/**
 * Loads training data: per listener and track, streams, saves and artist-page visits (a visit
 * counts towards every track of that artist the listener played), combined with
 * `combineSignals`. Skips and dislikes are not positive signals: they come apart, as `negatives`
 * (the weekly generation also filters them). What each event kind counts as is in
 * events/kinds.ts. With `level: "auto"` (the default) a database with no tracks but
 * artist-level play counts (Last.fm 2K) gives a listener x artist matrix instead, and
 * `levelReason` says so.
 */
export async function loadInteractions(db: Database, options: InteractionOptions = {}): Promise<Interactions> {
  const { weights = {}, level = "auto" } = options;
  const users = new IdIndex<number>();
  const items = new IdIndex<number>();
  for (const u of await db.query<{ id: number }>(`SELECT id FROM users ORDER BY id`)) users.add(u.id);
  const trackIds = await db.query<{ id: number }>(`SELECT id FROM tracks ORDER BY id`);
  const levelReason =
    level !== "auto"
      ? `level ${level} was asked for`
      : trackIds.length === 0
        ? "auto: the database has no tracks, so listener x artist play counts"
        : `auto: the database has tracks (${trackIds.length})`;
  if (level === "artist" || (level === "auto" && trackIds.length === 0)) {
    for (const a of await db.query<{ id: number }>(`SELECT id FROM artists ORDER BY id`)) items.add(a.id);
    const rows = await db.query<{ user_id: number; artist_id: number; plays: number }>(
      `SELECT user_id, artist_id, plays FROM user_artist_stats WHERE plays > 0`,
    );
    const streams = toCsr(
      users,
      items,
      rows.map((r) => [r.user_id, r.artist_id, r.plays]),
    );
    return { userItems: combineSignals({ streams }, weights), users, items, level: "artist", levelReason, negatives: null };
  }
  for (const t of trackIds) items.add(t.id);
  const rows = await db.query<{ user_id: number; track_id: number; streams: number; saves: number; visits: number }>(
    `SELECT s.user_id, s.track_id, s.streams, s.saves, coalesce(a.visits, 0) AS visits
     FROM user_track_stats s
     JOIN tracks t ON t.id = s.track_id
     LEFT JOIN user_artist_stats a ON a.user_id = s.user_id AND a.artist_id = t.artist_id
     WHERE ${sqlPositiveTrack("s")}`,
  );
  const matrix = (pick: (r: (typeof rows)[number]) => number) =>
    toCsr(
      users,
      items,
      rows.filter((r) => pick(r) > 0).map((r) => [r.user_id, r.track_id, pick(r)]),
    );
  const userItems = combineSignals({ streams: matrix((r) => r.streams), saves: matrix((r) => r.saves), visits: matrix((r) => r.visits) }, weights);
  const negativeRows = await db.query<{ user_id: number; track_id: number; strength: number }>(
    `SELECT user_id, track_id, ${SQL_NEGATIVE_STRENGTH}::int AS strength
     FROM user_track_stats WHERE NOT ${sqlPositiveTrack()} AND ${SQL_NEGATIVE_STRENGTH} > 0`,
  );
  const negatives = toCsr(
    users,
    items,
    negativeRows.map((r) => [r.user_id, r.track_id, r.strength]),
  );
  return { userItems, users, items, level: "track", levelReason, negatives };
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
