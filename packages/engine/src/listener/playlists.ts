import type { Database } from "@deepcuts/db";
import type { TrackRow } from "../catalogue.ts";
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

interface ArtistOfItem {
  id: number;
  externalKey: string;
  name: string;
  genre: string | null;
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
  /**
   * The item's track and artist, read in the same query (the API primes its loaders with them);
   * the track holds its artist too, so the API answers `track { artist }` without a lookup.
   */
  track: TrackRow & { artist: ArtistOfItem };
  artist: ArtistOfItem;
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

/**
 * A listener's playlist for one week (this week in their time zone when weekStart is null) with
 * its items, tracks and artists, in one query: the listener's time zone and the playlists of
 * every week "this week" can be anywhere on Earth (at most two) come back together, each with
 * its items snapshot (one JSON value, see writePlaylistSnapshots), and the listener's own week
 * is picked here.
 */
export async function weeklyPlaylist(db: Database, userId: number, weekStart: string | null, now = new Date()): Promise<PlaylistWithItems | null> {
  if (weekStart !== null) assertWeekStart(weekStart);
  const candidates = weekStart !== null ? [weekStart] : weekStartsAnywhere(now);
  const rows = await playlistsWithItems(db, userId, candidates);
  if (weekStart === null) {
    if (rows.length === 0) throw missing(`listener ${userId}`);
    weekStart = thisWeekIn(now, rows[0].timeZone);
    // Out of the candidates only if a zone lies beyond the two extremes: read that week itself.
    if (!candidates.includes(weekStart)) return (await playlistsWithItems(db, userId, [weekStart])).find((r) => r.id !== null) ?? null;
  }
  return rows.find((r) => r.id !== null && r.weekStart === weekStart) ?? null;
}

// Every zone's UTC offset, and every change of it, falls on a quarter hour, so a listener's
// local date (and week) holds for a whole quarter hour of UTC: found once per zone and quarter
// (formatting a date in a zone was 2% of the weekly playlist query's time).
const QUARTER_HOUR_MS = 15 * 60_000;
const weekOfZone = new Map<string, { quarter: number; week: string }>();

function thisWeekIn(now: Date, timeZone: string): string {
  const quarter = Math.floor(now.getTime() / QUARTER_HOUR_MS);
  const known = weekOfZone.get(timeZone);
  if (known?.quarter === quarter) return known.week;
  const week = weekStartFor(now, timeZone);
  weekOfZone.set(timeZone, { quarter, week });
  return week;
}

async function playlistsWithItems(db: Database, userId: number, weeks: string[]): Promise<(PlaylistWithItems & { timeZone: string })[]> {
  // A named statement: PostgreSQL plans it once per connection, not once per request. A playlist
  // made before snapshots existed is read through the function that writes them.
  const rows = await db.query<PlaylistRecord & { timeZone: string; items: ItemRow[] }>(
    `SELECT u.time_zone AS "timeZone", p.id, p.user_id AS "userId", to_char(p.week_start, 'YYYY-MM-DD') AS "weekStart", p.status::text AS status,
            p.blend_config_id AS "blendConfigId", p.generated_at AS "generatedAt",
            coalesce(p.items_snapshot, (SELECT s.items FROM playlist_items_snapshots(ARRAY[p.id]) s), '[]'::json) AS items
     FROM users u LEFT JOIN weekly_playlists p ON p.user_id = u.id AND p.week_start = ANY($2::date[])
     WHERE u.id = $1`,
    [userId, weeks],
    { name: "weekly-playlist-with-items" },
  );
  return rows.map((r) => ({ ...r, items: r.items.map(itemFromRow) }));
}

/**
 * Writes the items snapshots of playlists whose items are all written (inside the transaction
 * that made them; once per batch). The SQL function `write_playlist_snapshots` (migration
 * 20261206190000_playlist_snapshot) builds them from `playlist_item_rows`, and triggers rewrite
 * a snapshot when a track or artist in it changes, so it never shows an old title.
 */
export async function writePlaylistSnapshots(query: Database["query"], playlistIds: readonly number[]): Promise<void> {
  if (playlistIds.length > 0) await query(`SELECT write_playlist_snapshots($1::int[])`, [[...playlistIds]]);
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
  const rows = await db.query<ItemRow>(`SELECT * FROM playlist_item_rows($1::int[]) ORDER BY "playlistId", "position"`, [[...playlistIds]]);
  const by = new Map<number, PlaylistItemRecord[]>(playlistIds.map((id) => [id, []]));
  for (const r of rows) by.get(r.playlistId)?.push(itemFromRow(r));
  return playlistIds.map((id) => by.get(id)!);
}

/**
 * An item as the SQL function `playlist_item_rows` returns it (migration
 * 20261206190000_playlist_snapshot), in rows and in the playlists' snapshots alike.
 */
interface ItemRow extends Omit<PlaylistItemRecord, "track" | "artist"> {
  tKey: string;
  title: string;
  artistId: number;
  releaseDate: string | null;
  tGenre: string | null;
  aKey: string;
  aName: string;
  aGenre: string | null;
}

function itemFromRow(r: ItemRow): PlaylistItemRecord {
  const artist = { id: r.artistId, externalKey: r.aKey, name: r.aName, genre: r.aGenre };
  return {
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
      artist,
    },
    artist,
  };
}

/** Playlists by id, in the order asked (null for an unknown id). */
export async function playlistsById(db: Database, ids: readonly number[]): Promise<(PlaylistRecord | null)[]> {
  const rows = await db.query<PlaylistRecord>(`SELECT ${PLAYLIST_COLUMNS} FROM weekly_playlists WHERE id = ANY($1::int[])`, [[...ids]]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
