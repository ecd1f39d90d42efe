import type { Database } from "@deepcuts/db";
import { allMatchingIds, matchInChunks, searchCondition } from "./catalog-search.ts";
import { ascendingStep, pageFrom, type Page, type PageRequest } from "./paging.ts";

export type { Page } from "./paging.ts";

export interface TrackRow {
  id: number;
  externalKey: string;
  title: string;
  artistId: number;
  durationMs: number;
  releaseDate: string | null;
  genre: string | null;
}

/**
 * Tracks in id order after a cursor, optionally filtered by artist and by a search matching the
 * title or the artist's name (index-served, read in bounded chunks: see catalog-search.ts).
 */
export async function listTracks(db: Database, input: PageRequest & { search?: string | null; artistId?: number | null }): Promise<Page<TrackRow>> {
  const search = input.search?.trim();
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (input.artistId) conditions.push(`t.artist_id = $${params.push(input.artistId)}`);
  if (!search) {
    const where = conditions.length ? conditions.join(" AND ") : "true";
    const { cmp, order } = ascendingStep(input);
    const [rows, [{ n }]] = await Promise.all([
      db.query<TrackRow>(
        `${TRACK_COLUMNS} WHERE ${where} AND ($${params.length + 1}::int IS NULL OR t.id ${cmp} $${params.length + 1}) ORDER BY t.id ${order} LIMIT $${params.length + 2}`,
        [...params, input.afterId, input.first + 1],
      ),
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tracks t WHERE ${where}`, params),
    ]);
    return pageFrom(rows, input, n);
  }
  const artistIds = await allMatchingIds(db.query, "artists", "a", ["a.name"], search);
  const title = searchCondition(["t.title"], search, params.length + 1);
  params.push(...title.params);
  conditions.push(`(${title.sql} OR t.artist_id = ANY($${params.push(artistIds)}::int[]))`);
  const match = await matchInChunks(db.query, {
    table: "tracks",
    alias: "t",
    where: conditions.join(" AND "),
    params,
    afterId: input.afterId,
    first: input.first,
    backward: input.backward,
  });
  const rows = await db.query<TrackRow>(`${TRACK_COLUMNS} WHERE t.id = ANY($1::int[]) ORDER BY t.id`, [match.ids.slice(0, input.first)]);
  return { items: rows, hasNextPage: match.ids.length > input.first, totalCount: match.total };
}

const TRACK_COLUMNS = `SELECT t.id, t.external_key AS "externalKey", t.title, t.artist_id AS "artistId", t.duration_ms AS "durationMs",
       to_char(t.release_date, 'YYYY-MM-DD') AS "releaseDate", t.genre
  FROM tracks t`;

/** Listeners in id order after a cursor; `onlyId` (a listener key's own id) restricts every page. */
export async function listUsers(db: Database, input: PageRequest & { search?: string | null; onlyId?: number | null }) {
  const search = input.search?.trim();
  // Each condition is its own AND term: the cursor's id can never replace the listener scope.
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (input.onlyId !== null && input.onlyId !== undefined) conditions.push(`u.id = $${params.push(input.onlyId)}`);
  const columns = `SELECT u.id, u.external_key AS "externalKey", u.name, u.time_zone AS "timeZone" FROM users u`;
  type UserRow = { id: number; externalKey: string; name: string; timeZone: string };
  if (!search) {
    const where = conditions.length ? conditions.join(" AND ") : "true";
    const { cmp, order } = ascendingStep(input);
    const [rows, [{ n }]] = await Promise.all([
      db.query<UserRow>(
        `${columns} WHERE ${where} AND ($${params.length + 1}::int IS NULL OR u.id ${cmp} $${params.length + 1}) ORDER BY u.id ${order} LIMIT $${params.length + 2}`,
        [...params, input.afterId, input.first + 1],
      ),
      db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users u WHERE ${where}`, params),
    ]);
    return pageFrom(rows, input, n);
  }
  const match = searchCondition(["u.name", "u.external_key"], search, params.length + 1);
  params.push(...match.params);
  conditions.push(match.sql);
  const found = await matchInChunks(db.query, {
    table: "users",
    alias: "u",
    where: conditions.join(" AND "),
    params,
    afterId: input.afterId,
    first: input.first,
    backward: input.backward,
  });
  // The scope again in the final read: only ids the scoped search found, and only in scope.
  const rows = await db.query<UserRow>(`${columns} WHERE u.id = ANY($1::int[]) AND ($2::int IS NULL OR u.id = $2) ORDER BY u.id`, [
    found.ids.slice(0, input.first),
    input.onlyId ?? null,
  ]);
  return { items: rows, hasNextPage: found.ids.length > input.first, totalCount: found.total };
}
