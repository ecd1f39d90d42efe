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
 * its items snapshot (one JSON value, see itemsSnapshots), and the listener's own week
 * is picked here.
 */
export async function weeklyPlaylist(db: Database, userId: number, weekStart: string | null, now = new Date()): Promise<PlaylistWithItems | null> {
  const [answer] = await weeklyPlaylistsFor(db, [{ userId, weekStart }], now);
  if (answer instanceof Error) throw answer;
  return answer;
}

/** One listener's weekly playlist read: whose, and which week (null: this week in their time zone). */
export interface WeeklyPlaylistLookup {
  userId: number;
  weekStart: string | null;
}

/**
 * Several listeners' weekly playlists (as weeklyPlaylist reads one) in one statement: the API
 * batches concurrent requests through it. One answer per lookup, in order: the playlist, null
 * when none was made, or the error of that lookup alone (a bad week, an unknown listener), so
 * one bad lookup does not fail the others.
 */
export async function weeklyPlaylistsFor(
  db: Database,
  lookups: readonly WeeklyPlaylistLookup[],
  now = new Date(),
): Promise<(PlaylistWithItems | null | Error)[]> {
  const answers: (PlaylistWithItems | null | Error)[] = lookups.map(() => null);
  const reads: { index: number; userId: number; weeks: string[] }[] = [];
  lookups.forEach(({ userId, weekStart }, index) => {
    try {
      if (weekStart !== null) assertWeekStart(weekStart);
      reads.push({ index, userId, weeks: weekStart !== null ? [weekStart] : weekStartsAnywhere(now) });
    } catch (error) {
      answers[index] = error as Error;
    }
  });
  const rows = await playlistsWithItems(db, reads);
  for (const [k, { index, userId, weeks }] of reads.entries()) {
    let weekStart = lookups[index].weekStart;
    if (weekStart === null) {
      if (rows[k].length === 0) {
        answers[index] = missing(`listener ${userId}`);
        continue;
      }
      weekStart = thisWeekIn(now, rows[k][0].timeZone);
      // Out of the candidates only if a zone lies beyond the two extremes: read that week itself.
      if (!weeks.includes(weekStart)) {
        answers[index] = (await playlistsWithItems(db, [{ userId, weeks: [weekStart] }]))[0].find((r) => r.id !== null) ?? null;
        continue;
      }
    }
    answers[index] = rows[k].find((r) => r.id !== null && r.weekStart === weekStart) ?? null;
  }
  return answers;
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

type PlaylistRow = PlaylistRecord & { timeZone: string; items: ItemRow[] };

async function playlistsWithItems(
  db: Database,
  reads: readonly { userId: number; weeks: string[] }[],
): Promise<(PlaylistWithItems & { timeZone: string })[][]> {
  if (reads.length === 0) return [];
  const rows = await readPlaylistsWithItems(db, reads);
  return rows.map((list) => list.map((r) => ({ ...r, items: r.items.map(itemFromRow) })));
}

/**
 * The rows of a batch of lookups, in one query: for each lookup (by its ordinal) the listener's
 * time zone and their playlists of those weeks (a listener with none gets one row with a null
 * id; an unknown listener gets no row). A named statement: PostgreSQL plans it once per
 * connection, not once per request. A playlist made before snapshots existed is read through
 * the function that writes them.
 */
async function readPlaylistsWithItems(db: Database, lookups: readonly { userId: number; weeks: string[] }[]): Promise<PlaylistRow[][]> {
  const rows = await db.query<PlaylistRow & { lookup: number }>(
    `SELECT r.lookup::int AS lookup, u.time_zone AS "timeZone", p.id, p.user_id AS "userId", to_char(p.week_start, 'YYYY-MM-DD') AS "weekStart",
            p.status::text AS status, p.blend_config_id AS "blendConfigId", p.generated_at AS "generatedAt",
            coalesce(p.items_snapshot, (SELECT s.items FROM playlist_items_snapshots(ARRAY[p.id]) s), '[]'::json) AS items
     FROM unnest($1::int[], $2::date[], $3::date[]) WITH ORDINALITY AS r(user_id, first_week, second_week, lookup)
     JOIN users u ON u.id = r.user_id
     LEFT JOIN weekly_playlists p ON p.user_id = u.id AND p.week_start IN (r.first_week, r.second_week)`,
    [lookups.map((l) => l.userId), lookups.map((l) => l.weeks[0]), lookups.map((l) => l.weeks[1] ?? null)],
    { name: "weekly-playlists-with-items" },
  );
  const byLookup: PlaylistRow[][] = lookups.map(() => []);
  for (const { lookup, ...row } of rows) byLookup[lookup - 1].push(row);
  return byLookup;
}

/**
 * (Re)writes the items snapshots of playlists whose items are all written, in PostgreSQL: the
 * SQL function `write_playlist_snapshots` (migration 20261206190000_playlist_snapshot) builds
 * them from `playlist_item_rows`. The triggers that rewrite a snapshot when a track or artist in
 * it changes (so it never shows an old title) go through it; the weekly generation builds its
 * snapshots itself (itemsSnapshots below) and inserts each playlist with its own.
 */
export async function writePlaylistSnapshots(query: Database["query"], playlistIds: readonly number[]): Promise<void> {
  if (playlistIds.length > 0) await query(`SELECT write_playlist_snapshots($1::int[])`, [[...playlistIds]]);
}

/** An item of a playlist about to be written: the `playlist_items` columns its snapshot shows. */
export interface SnapshotItem {
  trackId: number;
  score: number;
  scores: Record<string, number>;
  reason: string;
  blendVersion: number | null;
  rank: number | null;
  explored: boolean;
  propensity: number | null;
}

/** The fields of an item's track and artist that a snapshot shows, as `playlist_item_rows` reads them. */
type ShownFields = Pick<ItemRow, "durationMs" | "tKey" | "title" | "artistId" | "releaseDate" | "tGenre" | "aKey" | "aName" | "aGenre">;

/**
 * The items snapshots of playlists about to be inserted (the weekly generation, inside the
 * transaction that writes them, with their ids allocated beforehand): one JSON text per playlist,
 * the value `playlist_items_snapshots` (migration 20261206190000_playlist_snapshot) gives for
 * the same rows once written, with the same keys in the same order and the same value types,
 * or `[]` for a playlist without items (as `write_playlist_snapshots` writes it). One query
 * reads the shown fields of every track and artist of the batch; building them in SQL after the
 * insert and updating each row cost about 1.0 ms of server CPU per playlist, inserting them
 * built about 0.4 ms (docs/benchmarks.md).
 * test/weekly/generation.test.ts compares the two for every playlist of a generated week.
 */
export async function itemsSnapshots(query: Database["query"], playlists: readonly { id: number; items: readonly SnapshotItem[] }[]): Promise<string[]> {
  const trackIds = [...new Set(playlists.flatMap((p) => p.items.map((i) => i.trackId)))];
  const shown = new Map<number, ShownFields>();
  if (trackIds.length > 0) {
    // Primary-key probes per track, as in playlist_item_rows (OFFSET 0: with stale statistics
    // the planner would otherwise hash the whole tracks table).
    const rows = await query<ShownFields & { id: number }>(
      `SELECT t.id, t.duration_ms AS "durationMs", t.external_key AS "tKey", t.title, t.artist_id AS "artistId",
              to_char(t.release_date, 'YYYY-MM-DD') AS "releaseDate", t.genre AS "tGenre",
              a.external_key AS "aKey", a.name AS "aName", a.genre AS "aGenre"
       FROM unnest($1::int[]) AS x(id)
       CROSS JOIN LATERAL (SELECT * FROM tracks t WHERE t.id = x.id OFFSET 0) t
       CROSS JOIN LATERAL (SELECT * FROM artists a WHERE a.id = t.artist_id OFFSET 0) a`,
      [trackIds],
    );
    for (const r of rows) shown.set(r.id, r);
  }
  return playlists.map((p) =>
    JSON.stringify(
      p.items.map((item, position) => {
        const s = shown.get(item.trackId);
        if (!s) throw new Error(`track ${item.trackId} of playlist ${p.id} is not in the catalogue`);
        // The columns of playlist_item_rows, in its order (row_to_json keeps it).
        return {
          playlistId: p.id,
          position,
          trackId: item.trackId,
          score: float8Json(item.score),
          scores: jsonbJson(item.scores),
          reason: item.reason,
          blendVersion: item.blendVersion ?? null,
          rank: item.rank ?? null,
          explored: item.explored,
          propensity: item.propensity === null || item.propensity === undefined ? null : float8Json(item.propensity),
          durationMs: s.durationMs,
          tKey: s.tKey,
          title: s.title,
          artistId: s.artistId,
          releaseDate: s.releaseDate,
          tGenre: s.tGenre,
          aKey: s.aKey,
          aName: s.aName,
          aGenre: s.aGenre,
        };
      }),
    ),
  );
}

/** A double precision value as PostgreSQL's JSON writes it (and reads it back): a number, or NaN or [-]Infinity as a string. */
export function float8Json(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

const jsonbKeyOrders = new Map<string, string[]>();

/**
 * A `jsonb` object (`playlist_items.scores`, written from JSON.stringify) as PostgreSQL gives it
 * back: keys shorter first, then by their UTF-8 bytes; values as JSON.stringify wrote them (a
 * number that is not finite became null).
 */
function jsonbJson(scores: Record<string, number>): Record<string, unknown> {
  const keys = Object.keys(scores);
  const seen = keys.join("\u0000");
  let order = jsonbKeyOrders.get(seen);
  if (!order) {
    order = [...keys].sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
    jsonbKeyOrders.set(seen, order);
  }
  const out: Record<string, unknown> = {};
  for (const k of order) {
    const v: unknown = scores[k];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    out[k] = typeof v === "number" ? (Number.isFinite(v) ? v : null) : v;
  }
  return out;
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
