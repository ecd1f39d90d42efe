import { ascendingStep, pageFrom, type Page, type PageRequest } from "./paging.ts";
import { TEXT_LIMITS } from "./validation/text.ts";

/** Longest search the catalogue accepts (the API states it; a search costs index lookups, not a scan). */
export const SEARCH_MAX_LENGTH = TEXT_LIMITS.search.maxLength;

/** Searches shorter than this match the start of a word: a trigram index needs three characters. */
const SUBSTRING_MIN_LENGTH = 3;

/** `text` with ILIKE's wildcards and escape character taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * An ILIKE condition matching `search` in any of `columns`, with its parameters numbered from
 * `firstParam`. Three characters or more match anywhere (served by the trigram GIN indexes of
 * migration search_trigram_indexes); one or two match the start of any word (the trigram
 * index still serves those: pg_trgm pads each word's start).
 */
export function searchCondition(columns: string[], search: string, firstParam: number): { sql: string; params: string[] } {
  const text = escapeLike(search);
  const params = search.length >= SUBSTRING_MIN_LENGTH ? [`%${text}%`] : [`${text}%`, `% ${text}%`];
  const terms = columns.flatMap((column) => params.map((_, i) => `${column} ILIKE $${firstParam + i}`));
  return { sql: `(${terms.join(" OR ")})`, params };
}

/**
 * Most row ids one search statement looks at. A search whose trigrams are all common (or that
 * has none, such as punctuation) rechecks every row in range; reading the table in id ranges
 * of this size keeps each statement short, so on the embedded database, which runs one
 * statement at a time for everyone, other requests' statements run between them.
 */
export const SEARCH_CHUNK_IDS = 2500;

export interface ChunkedMatch {
  /** Ids of the first `first + 1` matching rows after `afterId`, in id order (backward: before it, nearest first). */
  ids: number[];
  /** How many rows match in all. */
  total: number;
}

/**
 * Finds the rows of `table` (aliased `alias`) matching `where` (with `params`), in id ranges of
 * SEARCH_CHUNK_IDS: one statement per range returns the range's count and its first ids after
 * the cursor. `where` may use $1..$n; the range and cursor parameters follow them.
 */
export async function matchInChunks(
  query: <T>(sql: string, params?: unknown[]) => Promise<T[]>,
  input: { table: string; alias: string; where: string; params: unknown[]; afterId: number | null; first: number; backward?: boolean },
): Promise<ChunkedMatch> {
  const { table, alias, where, params } = input;
  const [{ top }] = await query<{ top: number }>(`SELECT coalesce(max(id), 0)::int AS top FROM ${table}`);
  const n = params.length;
  const { cmp, order } = ascendingStep(input);
  const sql = `SELECT count(*)::int AS matched,
                      (array_agg(${alias}.id ORDER BY ${alias}.id ${order}) FILTER (WHERE $${n + 3}::int IS NULL OR ${alias}.id ${cmp} $${n + 3}))[1:$${n + 4}] AS ids
               FROM ${table} ${alias}
               WHERE ${alias}.id > $${n + 1} AND ${alias}.id <= $${n + 2} AND ${where}`;
  const ids: number[] = [];
  let total = 0;
  const lows: number[] = [];
  for (let low = 0; low < top; low += SEARCH_CHUNK_IDS) lows.push(low);
  // A backward read walks the ranges from the top, so the ids come nearest the cursor first.
  if (input.backward) lows.reverse();
  for (const low of lows) {
    const [chunk] = await query<{ matched: number; ids: number[] | null }>(sql, [
      ...params,
      low,
      low + SEARCH_CHUNK_IDS,
      input.afterId,
      input.first + 1 - ids.length,
    ]);
    total += chunk.matched;
    if (ids.length <= input.first && chunk.ids) ids.push(...chunk.ids.slice(0, input.first + 1 - ids.length));
    // In-process PGlite runs on this thread: let timers and other requests' I/O in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ids, total };
}

/** Every id of `table` matching `search` in `columns` (read in chunks, as matchInChunks). */
export async function allMatchingIds(
  query: Parameters<typeof matchInChunks>[0],
  table: string,
  alias: string,
  columns: string[],
  search: string,
): Promise<number[]> {
  const match = searchCondition(columns, search, 1);
  return (await matchInChunks(query, { table, alias, where: match.sql, params: match.params, afterId: null, first: 1_000_000_000 })).ids;
}

/** A catalogue list: `columns` is `SELECT ... FROM table alias`; `conditions` are AND-ed SQL over `params` ($1..$n). */
export interface CatalogueList<T> {
  table: string;
  alias: string;
  columns: string;
  conditions: string[];
  params: unknown[];
  /** A search is among the conditions: rows are matched in bounded chunks (matchInChunks), not by one keyset read. */
  searched: boolean;
  /** Reads the page's rows by id, in id order (default: `columns` by id); a scoped list checks its scope again here. */
  readRows?: (ids: number[]) => Promise<T[]>;
}

/** A page of `list` in id order after the cursor, with how many rows the list holds. */
export async function cataloguePage<T>(query: Parameters<typeof matchInChunks>[0], list: CatalogueList<T>, input: PageRequest): Promise<Page<T>> {
  const { table, alias, columns, params } = list;
  const where = list.conditions.length ? list.conditions.join(" AND ") : "true";
  if (!list.searched) {
    const { cmp, order } = ascendingStep(input);
    const cursor = params.length + 1;
    const [rows, [{ n }]] = await Promise.all([
      query<T>(`${columns} WHERE ${where} AND ($${cursor}::int IS NULL OR ${alias}.id ${cmp} $${cursor}) ORDER BY ${alias}.id ${order} LIMIT $${cursor + 1}`, [
        ...params,
        input.afterId,
        input.first + 1,
      ]),
      query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} ${alias} WHERE ${where}`, params),
    ]);
    return pageFrom(rows, input, n);
  }
  const found = await matchInChunks(query, { table, alias, where, params, afterId: input.afterId, first: input.first, backward: input.backward });
  const ids = found.ids.slice(0, input.first);
  const rows = list.readRows ? await list.readRows(ids) : await query<T>(`${columns} WHERE ${alias}.id = ANY($1::int[]) ORDER BY ${alias}.id`, [ids]);
  return { items: rows, hasNextPage: found.ids.length > input.first, totalCount: found.total };
}
