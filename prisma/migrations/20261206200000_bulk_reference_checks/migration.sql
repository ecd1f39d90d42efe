-- Reference checks per statement instead of per row, for bulk event loads (docs/architecture.md,
-- "Bulk event import"; measured in docs/benchmarks.md, "Bulk event import by COPY").
--
-- listening_events loses its three foreign keys and its occurred_at index (no query reads events
-- by time alone): the statement that records events also upserts user_track_stats and
-- user_artist_stats, checked below, for the same listener, track and artist.
--
-- user_track_stats and user_artist_stats keep what their foreign keys guaranteed, checked once
-- per statement over its transition table instead of once per row: a statement that writes them
-- locks the listeners, tracks and artists it names FOR KEY SHARE (as a foreign key's check does,
-- so a concurrent delete of one waits for it) and fails with foreign_key_violation when one is
-- missing; deleting a listener, track or artist still named there fails the same way. Keys are
-- never updated (serial ids), so ON UPDATE CASCADE is not kept.

-- DropForeignKey
ALTER TABLE "listening_events" DROP CONSTRAINT "listening_events_artist_id_fkey";

-- DropForeignKey
ALTER TABLE "listening_events" DROP CONSTRAINT "listening_events_track_id_fkey";

-- DropForeignKey
ALTER TABLE "listening_events" DROP CONSTRAINT "listening_events_user_id_fkey";

-- DropIndex
DROP INDEX "listening_events_occurred_at_idx";

-- DropForeignKey
ALTER TABLE "user_artist_stats" DROP CONSTRAINT "user_artist_stats_artist_id_fkey";

-- DropForeignKey
ALTER TABLE "user_artist_stats" DROP CONSTRAINT "user_artist_stats_user_id_fkey";

-- DropForeignKey
ALTER TABLE "user_track_stats" DROP CONSTRAINT "user_track_stats_track_id_fkey";

-- DropForeignKey
ALTER TABLE "user_track_stats" DROP CONSTRAINT "user_track_stats_user_id_fkey";

-- Child side: every referenced row must exist; it is locked FOR KEY SHARE (as a foreign key's
-- check locks it), so a concurrent delete of it waits for this transaction and then fails.
-- TG_ARGV: pairs of (column, parent table), the parent's key being "id".
CREATE FUNCTION "check_references_per_statement"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  i int := 0;
  missing bigint;
BEGIN
  WHILE i < TG_NARGS LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I p WHERE p.id IN (SELECT n.%I FROM new_rows n) FOR KEY SHARE OF p) AS locked',
                   TG_ARGV[i + 1], TG_ARGV[i]);
    EXECUTE format('SELECT min(n.%I) FROM new_rows n WHERE n.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %I p WHERE p.id = n.%I)',
                   TG_ARGV[i], TG_ARGV[i], TG_ARGV[i + 1], TG_ARGV[i]) INTO missing;
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION 'insert or update on table "%" violates its reference to "%": %=% does not exist', TG_TABLE_NAME, TG_ARGV[i + 1], TG_ARGV[i], missing
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    i := i + 2;
  END LOOP;
  RETURN NULL;
END $$;

-- Parent side: a deleted row must have no referencing rows left. TG_ARGV: pairs of (child table, column).
CREATE FUNCTION "check_unreferenced_per_statement"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  i int := 0;
  referenced bigint;
BEGIN
  WHILE i < TG_NARGS LOOP
    EXECUTE format('SELECT min(o.id) FROM old_rows o WHERE EXISTS (SELECT 1 FROM %I c WHERE c.%I = o.id)', TG_ARGV[i], TG_ARGV[i + 1]) INTO referenced;
    IF referenced IS NOT NULL THEN
      RAISE EXCEPTION 'delete on table "%" violates the reference from "%": id=% is still referenced', TG_TABLE_NAME, TG_ARGV[i], referenced
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    i := i + 2;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "user_track_stats_references_insert" AFTER INSERT ON "user_track_stats" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_references_per_statement"('user_id', 'users', 'track_id', 'tracks');
CREATE TRIGGER "user_track_stats_references_update" AFTER UPDATE ON "user_track_stats" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_references_per_statement"('user_id', 'users', 'track_id', 'tracks');
CREATE TRIGGER "user_artist_stats_references_insert" AFTER INSERT ON "user_artist_stats" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_references_per_statement"('user_id', 'users', 'artist_id', 'artists');
CREATE TRIGGER "user_artist_stats_references_update" AFTER UPDATE ON "user_artist_stats" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_references_per_statement"('user_id', 'users', 'artist_id', 'artists');
CREATE TRIGGER "users_unreferenced_by_stats" AFTER DELETE ON "users" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_unreferenced_per_statement"('user_track_stats', 'user_id', 'user_artist_stats', 'user_id');
CREATE TRIGGER "tracks_unreferenced_by_stats" AFTER DELETE ON "tracks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_unreferenced_per_statement"('user_track_stats', 'track_id');
CREATE TRIGGER "artists_unreferenced_by_stats" AFTER DELETE ON "artists" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_unreferenced_per_statement"('user_artist_stats', 'artist_id');
