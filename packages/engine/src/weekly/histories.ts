import type { Database } from "@deepcuts/db";
import type { ListenerHistory, ModelState } from "@deepcuts/models/blend";
import { trackStrength } from "../events/kinds.ts";

/**
 * What the listeners did, as the blend reads it (ListenerHistory, @deepcuts/models/blend).
 * `catalogue` (the loaded model state, when the caller holds one) gives the artist of each track
 * it knows; the others' artists are read from the database.
 */
export async function loadHistories(
  db: Database,
  userIds: number[],
  catalogue?: Pick<ModelState, "indexOfTrack" | "artistOf">,
): Promise<Map<number, ListenerHistory>> {
  const out = new Map<number, ListenerHistory>(
    userIds.map((id) => [
      id,
      { userId: id, heard: new Map(), avoidArtists: new Set(), skippedOnlyArtists: new Set(), knownArtists: new Map(), seedArtists: [] },
    ]),
  );
  const tracks = await db.query<{ user_id: number; track_id: number; streams: number; saves: number; skips: number }>(
    `SELECT user_id, track_id, streams, saves, skips FROM user_track_stats WHERE user_id = ANY($1::int[])`,
    [userIds],
  );
  for (const t of tracks) out.get(t.user_id)!.heard.set(t.track_id, trackStrength(t.streams, t.saves));
  await addSkippedOnlyArtists(db, tracks, out, catalogue);
  const artists = await db.query<{ user_id: number; artist_id: number; plays: number; dislikes: number }>(
    `SELECT user_id, artist_id, plays, dislikes FROM user_artist_stats WHERE user_id = ANY($1::int[])`,
    [userIds],
  );
  for (const a of artists) {
    const h = out.get(a.user_id)!;
    if (a.plays > 0) h.knownArtists.set(a.artist_id, a.plays);
    if (a.dislikes > 0) h.avoidArtists.add(a.artist_id);
  }
  const seeds = await db.query<{ user_id: number; artist_id: number }>(`SELECT user_id, artist_id FROM user_seed_artists WHERE user_id = ANY($1::int[])`, [
    userIds,
  ]);
  for (const s of seeds) out.get(s.user_id)!.seedArtists.push(s.artist_id);
  return out;
}

/**
 * Each listener's skipped-only artists: at least two skips over their tracks by the artist, and
 * not one stream or save of any of them. Worked out from the track rows already read: a
 * GROUP BY over the same rows joined with every track took the server six times as long as the
 * read itself (docs/benchmarks.md, "Fewer comparisons, one pass over the history").
 */
async function addSkippedOnlyArtists(
  db: Database,
  tracks: readonly { user_id: number; track_id: number; streams: number; saves: number; skips: number }[],
  out: Map<number, ListenerHistory>,
  catalogue?: Pick<ModelState, "indexOfTrack" | "artistOf">,
): Promise<void> {
  const artistOf = new Map<number, number>();
  const unknown = new Set<number>();
  for (const t of tracks) {
    if (t.skips === 0 && t.streams === 0 && t.saves === 0) continue;
    const row = catalogue?.indexOfTrack.get(t.track_id);
    if (row !== undefined) artistOf.set(t.track_id, catalogue!.artistOf[row]);
    else unknown.add(t.track_id);
  }
  if (unknown.size > 0) {
    const rows = await db.query<{ id: number; artist_id: number }>(`SELECT id, artist_id FROM tracks WHERE id = ANY($1::int[])`, [[...unknown]]);
    for (const r of rows) artistOf.set(r.id, r.artist_id);
  }
  // Per listener and artist: the skips so far, or -Infinity once a track by them was streamed or saved.
  const skips = new Map<number, Map<number, number>>();
  for (const t of tracks) {
    const artist = artistOf.get(t.track_id);
    if (artist === undefined) continue;
    let of = skips.get(t.user_id);
    if (!of) skips.set(t.user_id, (of = new Map<number, number>()));
    of.set(artist, t.streams > 0 || t.saves > 0 ? -Infinity : (of.get(artist) ?? 0) + t.skips);
  }
  for (const [userId, of] of skips) for (const [artist, n] of of) if (n >= 2) out.get(userId)!.skippedOnlyArtists.add(artist);
}
