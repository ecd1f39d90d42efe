import type { Database } from "@deepcuts/db";

export interface CatalogueCounts {
  listeners: number;
  artists: number;
  tracks: number;
  events: number;
  documents: number;
  analysedTracks: number;
  playlists: number;
}

export async function catalogueCounts(db: Database): Promise<CatalogueCounts> {
  const [row] = await db.query<CatalogueCounts>(`SELECT
    (SELECT count(*) FROM users)::int AS listeners,
    (SELECT count(*) FROM artists)::int AS artists,
    (SELECT count(*) FROM tracks)::int AS tracks,
    (SELECT count(*) FROM listening_events)::int AS events,
    (SELECT count(*) FROM documents)::int AS documents,
    (SELECT count(*) FROM audio_analyses WHERE status = 'OK')::int AS "analysedTracks",
    (SELECT count(*) FROM weekly_playlists)::int AS playlists`);
  return row;
}
