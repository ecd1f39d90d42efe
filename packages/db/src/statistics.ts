import type { Database } from "./database.ts";

/**
 * The tables whose planner statistics the hot queries depend on: listeners' histories (read for
 * every playlist), the catalogue, playlists and events. Without statistics PostgreSQL guesses:
 * `user_id = ANY($1)` with 500 listeners was planned as a scan of all 5 million rows of
 * `user_track_stats` (1.1-1.5 s a batch of weekly generation instead of 0.13-0.23 s:
 * docs/benchmarks.md, "Planner statistics after bulk loads").
 */
export const PLANNED_TABLES = [
  "users",
  "artists",
  "tracks",
  "listening_events",
  "user_track_stats",
  "user_artist_stats",
  "user_seed_artists",
  "weekly_playlists",
  "playlist_items",
] as const;

/** A table grown by more than this share of its pages since it was last analysed is analysed again. */
export const STALE_GROWTH = 0.1;

/**
 * Analyses each of `tables` that holds more than 8 pages and has grown by more than STALE_GROWTH
 * of its pages since it was last analysed (never analysed: since empty), and returns their names.
 * PostgreSQL's autovacuum does this by itself when it is on, but it may be off, and it lags
 * behind a bulk load that the next step queries at once; PGlite has no autovacuum and counts no
 * modifications, so growth is measured by pages: `pg_class.relpages` as the last ANALYZE left it
 * against the table's size now.
 *
 * Small tables are left alone on purpose. With statistics that say "empty" the planner sizes a
 * table by its few pages of the moment, where a sequential scan can look cheapest, and a plan is
 * cached for as long as its connection lives: analysed empty at a first generation's start,
 * `weekly_playlists` could be scanned whole by the foreign key check of every playlist item
 * written after (30 scans a listener, growing with the table; docs/benchmarks.md, "A first
 * week's playlists"). A table never analysed is planned as at least 10 pages, which keeps such
 * checks on the primary key.
 *
 * Processes that call this together (generation shards) do not analyse one table twice at once,
 * which PostgreSQL may refuse ("tuple concurrently updated"): each table is analysed under a
 * transaction-scoped try-lock, and a process that does not get it leaves the table to the one
 * that did.
 */
export async function refreshPlannerStatistics(db: Database, tables: readonly string[] = PLANNED_TABLES): Promise<string[]> {
  const stale = await db.query<{ name: string; quoted: string }>(
    `SELECT n.name, quote_ident(n.name) AS quoted FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i)
       JOIN pg_class c ON c.oid = to_regclass(quote_ident(n.name))
     WHERE c.relkind = 'r'
       AND pg_relation_size(c.oid) / current_setting('block_size')::int > (1 + $2::float8) * c.relpages + 8
     ORDER BY n.i`,
    [tables, STALE_GROWTH],
  );
  const analysed: string[] = [];
  for (const { name, quoted } of stale) {
    const done = await db.transaction(async (query) => {
      const [{ locked }] = await query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [`deepcuts.analyze.${name}`]);
      if (!locked) return false;
      await query(`ANALYZE ${quoted}`);
      return true;
    });
    if (done) analysed.push(name);
  }
  return analysed;
}
