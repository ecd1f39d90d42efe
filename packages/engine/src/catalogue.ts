import type { Database } from "@deepcuts/db";
import { allMatchingIds, cataloguePage, searchCondition } from "./catalogue-search.ts";
import type { Page, PageRequest } from "./paging.ts";

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
 * title or the artist's name (index-served, read in bounded chunks: see catalogue-search.ts).
 */
export async function listTracks(db: Database, input: PageRequest & { search?: string | null; artistId?: number | null }): Promise<Page<TrackRow>> {
  const search = input.search?.trim();
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (input.artistId) conditions.push(`t.artist_id = $${params.push(input.artistId)}`);
  if (search) {
    const artistIds = await allMatchingIds(db.query, "artists", "a", ["a.name"], search);
    const title = searchCondition(["t.title"], search, params.length + 1);
    params.push(...title.params);
    conditions.push(`(${title.sql} OR t.artist_id = ANY($${params.push(artistIds)}::int[]))`);
  }
  return cataloguePage<TrackRow>(db.query, { table: "tracks", alias: "t", columns: TRACK_COLUMNS, conditions, params, searched: !!search }, input);
}

/** A track's row as the catalogue gives it (TrackRow), from `tracks t`. */
export const TRACK_COLUMNS = `SELECT t.id, t.external_key AS "externalKey", t.title, t.artist_id AS "artistId", t.duration_ms AS "durationMs",
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
  if (search) {
    const match = searchCondition(["u.name", "u.external_key"], search, params.length + 1);
    params.push(...match.params);
    conditions.push(match.sql);
  }
  return cataloguePage<UserRow>(
    db.query,
    {
      table: "users",
      alias: "u",
      columns,
      conditions,
      params,
      searched: !!search,
      // The scope again in the final read: only ids the scoped search found, and only in scope.
      readRows: (ids) =>
        db.query<UserRow>(`${columns} WHERE u.id = ANY($1::int[]) AND ($2::int IS NULL OR u.id = $2) ORDER BY u.id`, [ids, input.onlyId ?? null]),
    },
    input,
  );
}
