-- Weekly playlist snapshots (about 16 kB of JSON each, written once per listener and week, read
-- by every weeklyPlaylist query) are compressed with lz4 instead of pglz where the server has it:
-- about 0.14 ms less server CPU per playlist written and faster reads, for about 11% more bytes
-- (docs/benchmarks.md, "Setup apart, score moments four times faster, lz4 snapshots"). Rows
-- written before keep pglz; both read alike.
-- The embedded database (PGlite) is built without lz4 and keeps pglz. Prisma's schema cannot
-- state a column's compression, so `npm run db:diff -- check` sees no change.
DO $$
BEGIN
  ALTER TABLE "weekly_playlists" ALTER COLUMN "items_snapshot" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not built into this server: weekly_playlists.items_snapshot keeps pglz';
END
$$;
