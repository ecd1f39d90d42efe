import type { Database } from "@deepcuts/db";
import type { ListenerHistory } from "./pick.ts";

/** What each listener already heard, skipped or disliked, and their seed artists. */
export async function loadHistories(db: Database, userIds: number[]): Promise<Map<number, ListenerHistory>> {
  const out = new Map<number, ListenerHistory>(userIds.map((id) => [id, { heard: new Set(), avoid: new Set(), avoidArtists: new Set(), knownArtists: new Map(), seedArtists: [] }]));
  const tracks = await db.query<{ user_id: number; track_id: number; streams: number; saves: number; skips: number; dislikes: number }>(
    `SELECT user_id, track_id, streams, saves, skips, dislikes FROM user_track_stats WHERE user_id = ANY($1::int[])`,
    [userIds],
  );
  for (const t of tracks) {
    const h = out.get(t.user_id)!;
    if (t.streams > 0 || t.saves > 0) h.heard.add(t.track_id);
    if (t.skips > 0 || t.dislikes > 0) h.avoid.add(t.track_id);
  }
  const artists = await db.query<{ user_id: number; artist_id: number; plays: number; dislikes: number }>(
    `SELECT user_id, artist_id, plays, dislikes FROM user_artist_stats WHERE user_id = ANY($1::int[])`,
    [userIds],
  );
  for (const a of artists) {
    const h = out.get(a.user_id)!;
    if (a.plays > 0) h.knownArtists.set(a.artist_id, a.plays);
    if (a.dislikes > 0) h.avoidArtists.add(a.artist_id);
  }
  const seeds = await db.query<{ user_id: number; artist_id: number }>(`SELECT user_id, artist_id FROM user_seed_artists WHERE user_id = ANY($1::int[])`, [userIds]);
  for (const s of seeds) out.get(s.user_id)!.seedArtists.push(s.artist_id);
  return out;
}

