-- Reference checks per statement instead of per row for playlist items, as migration
-- 20261206200000_bulk_reference_checks did for the event aggregates (docs/architecture.md,
-- "What a million listeners costs"; measured in docs/benchmarks.md). A weekly batch writes 6,000 items in one
-- COPY; each row's two foreign-key checks (its playlist and its track, each looked up and locked
-- FOR KEY SHARE) cost about as much as the row itself.
--
-- What the foreign keys guaranteed is kept, once per statement over its transition table:
-- - a statement that writes items locks the playlists and tracks it names FOR KEY SHARE (a
--   concurrent delete of one waits for it, then fails) and fails with foreign_key_violation when
--   one is missing (check_references_per_statement);
-- - deleting playlists deletes their items (the ON DELETE CASCADE), in the same statement's
--   trigger;
-- - deleting a track still served in an item fails (the ON DELETE RESTRICT).
-- Ids are never updated (serial keys), so ON UPDATE CASCADE is not kept. The privacy catalogue
-- (packages/engine/src/privacy/catalogue.ts) reads these triggers as it reads foreign keys, so a
-- listener's items are still found through their playlists.

-- DropForeignKey
ALTER TABLE "playlist_items" DROP CONSTRAINT "playlist_items_playlist_id_fkey";

-- DropForeignKey
ALTER TABLE "playlist_items" DROP CONSTRAINT "playlist_items_track_id_fkey";

-- Parent side, cascading: deleting parent rows deletes the rows that name them.
-- TG_ARGV: pairs of (child table, column), the parent's key being "id".
CREATE FUNCTION "delete_referencing_per_statement"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  i int := 0;
BEGIN
  WHILE i < TG_NARGS LOOP
    EXECUTE format('DELETE FROM %I c WHERE c.%I IN (SELECT o.id FROM old_rows o)', TG_ARGV[i], TG_ARGV[i + 1]);
    i := i + 2;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "playlist_items_references_insert" AFTER INSERT ON "playlist_items" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_references_per_statement"('playlist_id', 'weekly_playlists', 'track_id', 'tracks');
CREATE TRIGGER "playlist_items_references_update" AFTER UPDATE ON "playlist_items" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_references_per_statement"('playlist_id', 'weekly_playlists', 'track_id', 'tracks');
CREATE TRIGGER "weekly_playlists_delete_items" AFTER DELETE ON "weekly_playlists" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "delete_referencing_per_statement"('playlist_items', 'playlist_id');
CREATE TRIGGER "tracks_unreferenced_by_playlist_items" AFTER DELETE ON "tracks" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "check_unreferenced_per_statement"('playlist_items', 'track_id');
