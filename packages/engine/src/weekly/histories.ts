import type { Database } from "@deepcuts/db";
import type { ListenerHistory } from "@deepcuts/models/blend";
import { trackStrength } from "../events/kinds.ts";

/** What the listeners did, as the blend reads it (ListenerHistory, @deepcuts/models/blend). */
export async function loadHistories(db: Database, userIds: number[]): Promise<Map<number, ListenerHistory>> {
  const out = new Map<number, ListenerHistory>(
    userIds.map((id) => [
      id,
      { userId: id, heard: new Map(), avoidArtists: new Set(), skippedOnlyArtists: new Set(), knownArtists: new Map(), seedArtists: [] },
    ]),
  );
  const tracks = await db.query<{ user_id: number; track_id: number; streams: number; saves: number }>(
    `SELECT user_id, track_id, streams, saves FROM user_track_stats WHERE user_id = ANY($1::int[])`,
    [userIds],
  );
  for (const t of tracks) out.get(t.user_id)!.heard.set(t.track_id, trackStrength(t.streams, t.saves));
  const artists = await db.query<{ user_id: number; artist_id: number; plays: number; dislikes: number }>(
    `SELECT user_id, artist_id, plays, dislikes FROM user_artist_stats WHERE user_id = ANY($1::int[])`,
    [userIds],
  );
  for (const a of artists) {
    const h = out.get(a.user_id)!;
    if (a.plays > 0) h.knownArtists.set(a.artist_id, a.plays);
    if (a.dislikes > 0) h.avoidArtists.add(a.artist_id);
  }
  const skippedOnly = await db.query<{ user_id: number; artist_id: number }>(
    `SELECT s.user_id, t.artist_id FROM user_track_stats s JOIN tracks t ON t.id = s.track_id
     WHERE s.user_id = ANY($1::int[])
     GROUP BY s.user_id, t.artist_id HAVING sum(s.streams) = 0 AND sum(s.saves) = 0 AND sum(s.skips) >= 2`,
    [userIds],
  );
  for (const a of skippedOnly) out.get(a.user_id)!.skippedOnlyArtists.add(a.artist_id);
  const seeds = await db.query<{ user_id: number; artist_id: number }>(`SELECT user_id, artist_id FROM user_seed_artists WHERE user_id = ANY($1::int[])`, [
    userIds,
  ]);
  for (const s of seeds) out.get(s.user_id)!.seedArtists.push(s.artist_id);
  return out;
}
