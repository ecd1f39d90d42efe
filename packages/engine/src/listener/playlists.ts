import type { Database } from "@deepcuts/db";
import { descendingStep, pageFrom, type PageRequest } from "../paging.ts";
import { weekStartFor, weekStartsAnywhere } from "../weekly/week.ts";
import { invalid, missing } from "../service-error.ts";

export interface PlaylistRecord {
  id: number;
  userId: number;
  weekStart: string;
  status: "COMPLETE" | "SHORT" | "COLD_START";
  blendConfigId: number | null;
  generatedAt: Date;
}

export interface PlaylistItemRecord {
  playlistId: number;
  position: number;
  trackId: number;
  score: number;
  scores: Record<string, number>;
  reason: string;
  durationMs: number;
  /** What was served, logged (docs/weekly.md#what-was-served-logged); null on items made before the log existed. */
  blendVersion: number | null;
  rank: number | null;
  explored: boolean;
  propensity: number | null;
  /** The item's track and artist, read in the same query (the API primes its loaders with them). */
  track: { id: number; externalKey: string; title: string; artistId: number; durationMs: number; releaseDate: string | null; genre: string | null };
  artist: { id: number; externalKey: string; name: string; genre: string | null };
}

const PLAYLIST_COLUMNS = `id, user_id AS "userId", to_char(week_start, 'YYYY-MM-DD') AS "weekStart", status::text AS status,
  blend_config_id AS "blendConfigId", generated_at AS "generatedAt"`;

/** YYYY-MM-DD of a Monday, or a BAD_USER_INPUT naming the field. */
export function assertWeekStart(weekStart: string, field = "weekStart"): void {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(weekStart);
  const date = match ? new Date(`${weekStart}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== weekStart)
    throw invalid(field, `must be a date YYYY-MM-DD, got '${weekStart}'`);
  if (date.getUTCDay() !== 1) throw invalid(field, `must be a Monday (weeks start on Monday), got ${weekStart}`);
}

/** A playlist with its items (each with its track and artist), as the weekly playlist query reads it. */
export type PlaylistWithItems = PlaylistRecord & { items: PlaylistItemRecord[] };

/** One item as a JSON object in the shape of PlaylistItemRecord (the alias `i` is playlist_items, `t` tracks, `a` artists). */
const ITEM_JSON = `json_build_object(
  'playlistId', i.playlist_id, 'position', i.position, 'trackId', i.track_id, 'score', i.score, 'scores', i.scores, 'reason', i.reason,
  'durationMs', t.duration_ms, 'blendVersion', i.blend_version, 'rank', i.rank, 'explored', i.explored, 'propensity', i.propensity,
  'track', json_build_object('id', t.id, 'externalKey', t.external_key, 'title', t.title, 'artistId', t.artist_id, 'durationMs', t.duration_ms,
                             'releaseDate', to_char(t.release_date, 'YYYY-MM-DD'), 'genre', t.genre),
  'artist', json_build_object('id', a.id, 'externalKey', a.external_key, 'name', a.name, 'genre', a.genre))`;

/**
 * A listener's playlist for one week (this week in their time zone when weekStart is null) with
 * its items, tracks and artists, in one query: the listener's time zone and the playlists of
 * every week "this week" can be anywhere on Earth (at most two) come back together, with the
 * items aggregated as JSON, and the listener's own week is picked here.
 */
export async function weeklyPlaylist(db: Database, userId: number, weekStart: string | null, now = new Date()): Promise<PlaylistWithItems | null> {
  if (weekStart !== null) assertWeekStart(weekStart);
  const candidates = weekStart !== null ? [weekStart] : weekStartsAnywhere(now);
  const rows = await playlistsWithItems(db, userId, candidates);
  if (weekStart === null) {
    if (rows.length === 0) throw missing(`listener ${userId}`);
    weekStart = weekStartFor(now, rows[0].timeZone);
    // Out of the candidates only if a zone lies beyond the two extremes: read that week itself.
    if (!candidates.includes(weekStart)) return (await playlistsWithItems(db, userId, [weekStart])).find((r) => r.id !== null) ?? null;
  }
  return rows.find((r) => r.id !== null && r.weekStart === weekStart) ?? null;
}

async function playlistsWithItems(db: Database, userId: number, weeks: string[]): Promise<(PlaylistWithItems & { timeZone: string })[]> {
  return db.query<PlaylistWithItems & { timeZone: string }>(
    `SELECT u.time_zone AS "timeZone", p.id, p.user_id AS "userId", to_char(p.week_start, 'YYYY-MM-DD') AS "weekStart", p.status::text AS status,
            p.blend_config_id AS "blendConfigId", p.generated_at AS "generatedAt",
            (SELECT coalesce(json_agg(${ITEM_JSON} ORDER BY i.position), '[]'::json)
             FROM playlist_items i
             -- OFFSET 0 keeps each lookup a primary-key probe per item: flattened into joins, the
             -- planner hashes the whole tracks table when its statistics are stale (PGlite never
             -- analyses by itself).
             CROSS JOIN LATERAL (SELECT * FROM tracks t WHERE t.id = i.track_id OFFSET 0) t
             CROSS JOIN LATERAL (SELECT * FROM artists a WHERE a.id = t.artist_id OFFSET 0) a
             WHERE i.playlist_id = p.id) AS items
     FROM users u LEFT JOIN weekly_playlists p ON p.user_id = u.id AND p.week_start = ANY($2::date[])
     WHERE u.id = $1`,
    [userId, weeks],
  );
}

/** A listener's playlists, newest week first, after (or, backward, before) the playlist id `afterId`. */
export async function listPlaylists(db: Database, input: PageRequest & { userId: number }) {
  const { cmp, order } = descendingStep(input);
  const rows = await db.query<PlaylistRecord>(
    `SELECT ${PLAYLIST_COLUMNS} FROM weekly_playlists
     WHERE user_id = $1 AND ($2::int IS NULL OR week_start ${cmp} (SELECT week_start FROM weekly_playlists WHERE id = $2 AND user_id = $1))
     ORDER BY week_start ${order} LIMIT $3`,
    [input.userId, input.afterId, input.first + 1],
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM weekly_playlists WHERE user_id = $1`, [input.userId]);
  return pageFrom(rows, input, count.n);
}

/**
 * Items of many playlists in one query (the DataLoader's batch), in position order, each with
 * its track and artist: a playlist page costs one round trip instead of three.
 */
export async function itemsOfPlaylists(db: Database, playlistIds: readonly number[]): Promise<PlaylistItemRecord[][]> {
  const rows = await db.query<
    Omit<PlaylistItemRecord, "track" | "artist"> & {
      tKey: string;
      title: string;
      artistId: number;
      releaseDate: string | null;
      tGenre: string | null;
      aKey: string;
      aName: string;
      aGenre: string | null;
    }
  >(
    `SELECT i.playlist_id AS "playlistId", i.position, i.track_id AS "trackId", i.score, i.scores, i.reason,
            i.blend_version AS "blendVersion", i.rank, i.explored, i.propensity,
            t.duration_ms AS "durationMs", t.external_key AS "tKey", t.title, t.artist_id AS "artistId",
            to_char(t.release_date, 'YYYY-MM-DD') AS "releaseDate", t.genre AS "tGenre",
            a.external_key AS "aKey", a.name AS "aName", a.genre AS "aGenre"
     FROM playlist_items i JOIN tracks t ON t.id = i.track_id JOIN artists a ON a.id = t.artist_id
     WHERE i.playlist_id = ANY($1::int[]) ORDER BY i.playlist_id, i.position`,
    [[...playlistIds]],
  );
  const by = new Map<number, PlaylistItemRecord[]>(playlistIds.map((id) => [id, []]));
  for (const r of rows) {
    by.get(r.playlistId)?.push({
      playlistId: r.playlistId,
      position: r.position,
      trackId: r.trackId,
      score: r.score,
      scores: r.scores,
      reason: r.reason,
      durationMs: r.durationMs,
      blendVersion: r.blendVersion,
      rank: r.rank,
      explored: r.explored,
      propensity: r.propensity,
      track: {
        id: r.trackId,
        externalKey: r.tKey,
        title: r.title,
        artistId: r.artistId,
        durationMs: r.durationMs,
        releaseDate: r.releaseDate,
        genre: r.tGenre,
      },
      artist: { id: r.artistId, externalKey: r.aKey, name: r.aName, genre: r.aGenre },
    });
  }
  return playlistIds.map((id) => by.get(id)!);
}

/** Playlists by id, in the order asked (null for an unknown id). */
export async function playlistsById(db: Database, ids: readonly number[]): Promise<(PlaylistRecord | null)[]> {
  const rows = await db.query<PlaylistRecord>(`SELECT ${PLAYLIST_COLUMNS} FROM weekly_playlists WHERE id = ANY($1::int[])`, [[...ids]]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
