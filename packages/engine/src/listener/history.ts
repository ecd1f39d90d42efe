import type { Database } from "@deepcuts/db";
import { descendingStep, pageFrom, type PageRequest } from "../paging.ts";
import type { ArtistRecord } from "../catalogue-details.ts";
import type { TrackRow } from "../catalogue.ts";
import type { EventKindName } from "../events/kinds.ts";

export interface TopArtistRecord {
  artist: ArtistRecord;
  /** Streams of the artist's tracks (and imported artist-level play counts). */
  plays: number;
  /** plays / the listener's plays of all artists. */
  share: number;
  /** Distinct tracks of this artist the listener has streamed. */
  tracksPlayed: number;
  lastPlayedAt: Date;
}

export interface TopArtistsRecord {
  totalPlays: number;
  totalArtists: number;
  artists: TopArtistRecord[];
}

export interface ListeningEventRecord {
  /** The row id: the cursor, never shown. */
  id: number;
  eventId: string;
  kind: EventKindName;
  occurredAt: Date;
  msPlayed: number | null;
  /** Read in the same query (the API primes its loaders with them); null for an artist-only event. */
  track: TrackRow | null;
  artist: ArtistRecord | null;
}

/**
 * A listener's most played artists from user_artist_stats, heaviest first (ties by artist id),
 * with each one's share of all their plays and how many of its tracks user_track_stats says
 * they streamed. One query: the totals are window sums taken before the LIMIT.
 */
export async function topArtists(db: Database, userId: number, first: number): Promise<TopArtistsRecord> {
  const rows = await db.query<{
    artistId: number;
    externalKey: string;
    name: string;
    genre: string | null;
    plays: number;
    lastPlayedAt: Date;
    tracksPlayed: number;
    totalPlays: number;
    totalArtists: number;
  }>(
    `WITH stats AS (
       SELECT artist_id, plays, last_at, sum(plays) OVER ()::float8 AS total_plays, count(*) OVER ()::int AS total_artists
       FROM user_artist_stats WHERE user_id = $1 AND plays > 0)
     SELECT s.artist_id AS "artistId", a.external_key AS "externalKey", a.name, a.genre, s.plays, s.last_at AS "lastPlayedAt",
            s.total_plays AS "totalPlays", s.total_artists AS "totalArtists",
            (SELECT count(*)::int FROM user_track_stats ts JOIN tracks t ON t.id = ts.track_id
             WHERE ts.user_id = $1 AND ts.streams > 0 AND t.artist_id = s.artist_id) AS "tracksPlayed"
     FROM stats s JOIN artists a ON a.id = s.artist_id
     ORDER BY s.plays DESC, s.artist_id
     LIMIT $2`,
    [userId, first],
  );
  return {
    totalPlays: rows[0]?.totalPlays ?? 0,
    totalArtists: rows[0]?.totalArtists ?? 0,
    artists: rows.map((r) => ({
      artist: { id: r.artistId, externalKey: r.externalKey, name: r.name, genre: r.genre },
      plays: r.plays,
      share: r.plays / r.totalPlays,
      tracksPlayed: r.tracksPlayed,
      lastPlayedAt: r.lastPlayedAt,
    })),
  };
}

/**
 * A listener's events, newest first (ties by arrival), after the event `afterId`: keyset
 * pagination on (occurred_at, id), so a page costs the same however deep it is. Each event
 * comes with its track and artist in the same query.
 */
export async function listeningHistory(db: Database, input: PageRequest & { userId: number }) {
  const { cmp, order } = descendingStep(input);
  const [rows, [count]] = await Promise.all([
    db.query<{
      id: number;
      eventId: string;
      kind: EventKindName;
      occurredAt: Date;
      msPlayed: number | null;
      trackId: number | null;
      tKey: string | null;
      title: string | null;
      durationMs: number | null;
      releaseDate: string | null;
      tGenre: string | null;
      artistId: number | null;
      aKey: string | null;
      aName: string | null;
      aGenre: string | null;
    }>(
      `SELECT e.id::float8 AS id, e.event_id AS "eventId", e.kind::text AS kind, e.occurred_at AS "occurredAt", e.ms_played AS "msPlayed",
              t.id AS "trackId", t.external_key AS "tKey", t.title, t.duration_ms AS "durationMs",
              to_char(t.release_date, 'YYYY-MM-DD') AS "releaseDate", t.genre AS "tGenre",
              a.id AS "artistId", a.external_key AS "aKey", a.name AS "aName", a.genre AS "aGenre"
       FROM listening_events e
       LEFT JOIN tracks t ON t.id = e.track_id
       LEFT JOIN artists a ON a.id = coalesce(e.artist_id, t.artist_id)
       WHERE e.user_id = $1
         AND ($2::bigint IS NULL OR (e.occurred_at, e.id) ${cmp} (SELECT c.occurred_at, c.id FROM listening_events c WHERE c.id = $2 AND c.user_id = $1))
       ORDER BY e.occurred_at ${order}, e.id ${order}
       LIMIT $3`,
      [input.userId, input.afterId, input.first + 1],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events WHERE user_id = $1`, [input.userId]),
  ]);
  const page = pageFrom(rows, input, count.n);
  const items: ListeningEventRecord[] = page.items.map((r) => ({
    id: Number(r.id),
    eventId: r.eventId,
    kind: r.kind,
    occurredAt: r.occurredAt,
    msPlayed: r.msPlayed,
    track:
      r.trackId === null
        ? null
        : {
            id: r.trackId,
            externalKey: r.tKey!,
            title: r.title!,
            artistId: r.artistId!,
            durationMs: r.durationMs!,
            releaseDate: r.releaseDate,
            genre: r.tGenre,
          },
    artist: r.artistId === null ? null : { id: r.artistId, externalKey: r.aKey!, name: r.aName!, genre: r.aGenre },
  }));
  return { ...page, items };
}
