import type { Database } from "@deepcuts/db";

/** What one week's playlists did to the catalogue and for listeners' discovery. */
export interface WeeklySummary {
  /** The listeners' local Monday of the playlists, YYYY-MM-DD. */
  weekStart: string;
  playlists: number;
  /** Playlists made from seed artists (the listener had no history). */
  coldStartPlaylists: number;
  /** Playlists shorter than asked (the catalogue ran out). */
  shortPlaylists: number;
  slots: number;
  /** Distinct tracks placed in the week's playlists, and their share of the catalogue. */
  tracksPlaced: number;
  catalogueTracks: number;
  coverage: number;
  /** Share of slots whose artist the listener had never streamed before the week. */
  newArtistShare: number;
  /** Distinct tracks placed that nobody had streamed before the week, and the slots they filled. */
  coldStartTracks: number;
  coldStartSlots: number;
  /** Blend configuration versions the week's playlists were made with. */
  blendVersions: number[];
}

export const MAX_SUMMARY_WEEKS = 52;

/**
 * The latest `weeks` weeks that have playlists (newest first), each measured against listening
 * before that week: catalogue coverage (distinct tracks placed / tracks in the catalogue now),
 * the share of slots by artists new to the listener, and the cold-start tracks placed (no stream
 * from anyone before the week). Listening after the week (the playlist's own outcomes) is not
 * counted, so a past week's figures do not change as listeners answer it.
 */
export async function weeklySummaries(db: Database, options: { weeks?: number } = {}): Promise<WeeklySummary[]> {
  const weeks = options.weeks ?? 8;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_SUMMARY_WEEKS) throw new RangeError(`weeks must be 1..${MAX_SUMMARY_WEEKS}, got ${weeks}`);
  // A week's figures read only listening before it: they change only when playlists are added to
  // it or the catalogue grows, which this key sees (one indexed scan of the week column).
  const keys = await db.query<{ week: string; key: string }>(
    `SELECT to_char(week_start, 'YYYY-MM-DD') AS week, count(*) || '|' || max(generated_at) || '|' || (SELECT count(*) FROM tracks) AS key
     FROM weekly_playlists WHERE week_start IN (SELECT DISTINCT week_start FROM weekly_playlists ORDER BY week_start DESC LIMIT $1)
     GROUP BY week_start ORDER BY week_start DESC`,
    [weeks],
  );
  const missing = keys.filter((k) => summaryCache.get(k.week)?.key !== k.key);
  if (missing.length) {
    for (const summary of await computeSummaries(
      db,
      missing.map((k) => k.week),
    ))
      summaryCache.set(summary.weekStart, { key: keys.find((k) => k.week === summary.weekStart)!.key, summary });
  }
  return keys.map((k) => summaryCache.get(k.week)?.summary).filter((s): s is WeeklySummary => s !== undefined);
}

const summaryCache = new Map<string, { key: string; summary: WeeklySummary }>();

async function computeSummaries(db: Database, weeks: string[]): Promise<WeeklySummary[]> {
  const [{ tracks }] = await db.query<{ tracks: number }>(`SELECT count(*)::int AS tracks FROM tracks`);
  const rows = await db.query<{
    week: string;
    playlists: number;
    cold_playlists: number;
    short_playlists: number;
    slots: number;
    tracks_placed: number;
    new_artist_slots: number;
    cold_tracks: number;
    cold_slots: number;
    blend_versions: number[];
  }>(
    `WITH weeks AS (SELECT unnest($1::date[]) AS week_start),
     slots AS (
       SELECT p.week_start, p.id AS playlist_id, p.user_id, p.status, i.track_id, t.artist_id, b.version AS blend_version
       FROM weekly_playlists p
       JOIN playlist_items i ON i.playlist_id = p.id
       JOIN tracks t ON t.id = i.track_id
       LEFT JOIN blend_configs b ON b.id = p.blend_config_id
       WHERE p.week_start IN (SELECT week_start FROM weeks)
     ),
     first_by_artist AS (
       SELECT e.user_id, e.artist_id, min(e.occurred_at) AS first_at FROM listening_events e
       WHERE e.kind = 'STREAM' AND e.artist_id IS NOT NULL AND e.user_id IN (SELECT DISTINCT user_id FROM slots)
       GROUP BY e.user_id, e.artist_id
     ),
     first_by_track AS (
       SELECT e.track_id, min(e.occurred_at) AS first_at FROM listening_events e
       WHERE e.kind = 'STREAM' AND e.track_id IN (SELECT DISTINCT track_id FROM slots)
       GROUP BY e.track_id
     ),
     marked AS (
       SELECT s.*, (fa.first_at IS NULL OR fa.first_at >= s.week_start) AS new_artist, (ft.first_at IS NULL OR ft.first_at >= s.week_start) AS cold_track
       FROM slots s
       LEFT JOIN first_by_artist fa ON fa.user_id = s.user_id AND fa.artist_id = s.artist_id
       LEFT JOIN first_by_track ft ON ft.track_id = s.track_id
     )
     SELECT to_char(week_start, 'YYYY-MM-DD') AS week,
            count(DISTINCT playlist_id)::int AS playlists,
            count(DISTINCT playlist_id) FILTER (WHERE status = 'COLD_START')::int AS cold_playlists,
            count(DISTINCT playlist_id) FILTER (WHERE status = 'SHORT')::int AS short_playlists,
            count(*)::int AS slots,
            count(DISTINCT track_id)::int AS tracks_placed,
            count(*) FILTER (WHERE new_artist)::int AS new_artist_slots,
            count(DISTINCT track_id) FILTER (WHERE cold_track)::int AS cold_tracks,
            count(*) FILTER (WHERE cold_track)::int AS cold_slots,
            coalesce(array_agg(DISTINCT blend_version) FILTER (WHERE blend_version IS NOT NULL), '{}') AS blend_versions
     FROM marked GROUP BY week_start ORDER BY week_start DESC`,
    [weeks],
  );
  return rows.map((r) => ({
    weekStart: r.week,
    playlists: r.playlists,
    coldStartPlaylists: r.cold_playlists,
    shortPlaylists: r.short_playlists,
    slots: r.slots,
    tracksPlaced: r.tracks_placed,
    catalogueTracks: tracks,
    coverage: tracks ? r.tracks_placed / tracks : 0,
    newArtistShare: r.slots ? r.new_artist_slots / r.slots : 0,
    coldStartTracks: r.cold_tracks,
    coldStartSlots: r.cold_slots,
    blendVersions: r.blend_versions.map(Number).sort((a, b) => a - b),
  }));
}
