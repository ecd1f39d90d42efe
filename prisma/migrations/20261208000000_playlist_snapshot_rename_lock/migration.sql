-- A change to a shown field of a track or artist (a rename, a duration filled in later) rewrites
-- the playlist snapshots that hold it (20261206190000_playlist_snapshot). Its triggers rewrote
-- them inside the changing statement, which missed two cases:
-- - a weekly generation that read the old title and had not committed yet: the rewrite could not
--   see its playlist, so that snapshot kept the old title;
-- - two renames of tracks in one playlist at once: the second rewrite waited for the first
--   one's row lock and then wrote a snapshot built before the first committed, so it lost that
--   rename.
-- Now the statement only notes the changed ids, and the rewrite runs at the transaction's commit,
-- once per playlist, under an exclusive advisory lock. The weekly generation holds the same lock
-- shared from before it reads the tracks for its snapshots until it commits. So a rename's
-- commit waits for the generations that have read, and then rewrites their playlists too (each
-- statement under READ COMMITTED sees what committed before it began); a generation that asks
-- for the lock while a rename commits waits, then reads the new title; renames rewrite one after
-- another. Taking the lock only at commit keeps a long import that fills durations early from
-- holding back the generation until it ends; generation batches and rewrites are short.
-- Deferred triggers fire per row; one that rewrote the playlists of its own row rewrote a
-- playlist once per changed track and took 5.5 s at commit for 20,000 changed tracks that no
-- playlist holds, so the statements note the ids and the first call at commit does all the work.
-- The cost: the renaming transaction does not see its rewrite before it commits, and each changed
-- row adds 2.5-4 us at commit (docs/benchmarks.md, "Playlist snapshots rewritten at commit").
-- The generation takes its row locks before this lock, so that it never waits for a row while
-- holding it (writeWeeklyPlaylists in generate.ts says why).
-- It relies on READ COMMITTED, the default, which every transaction here uses: a REPEATABLE READ
-- rename would rewrite from its first snapshot.
DROP TRIGGER "tracks_refresh_playlist_snapshots" ON "tracks";
DROP TRIGGER "artists_refresh_playlist_snapshots" ON "artists";
DROP FUNCTION refresh_playlist_snapshots_of_tracks();
DROP FUNCTION refresh_playlist_snapshots_of_artists();

-- The one key of the lock, shared by the weekly generation (packages/engine/src/weekly/generate.ts)
-- while it writes playlists, exclusive while a commit rewrites snapshots. Both last until the
-- transaction ends.
CREATE FUNCTION lock_playlist_snapshots_shared() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock_shared(hashtext('deepcuts.playlist-snapshots')) $$;

CREATE FUNCTION lock_playlist_snapshots() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(hashtext('deepcuts.playlist-snapshots')) $$;

-- After each statement: the ids of the tracks (artists) whose shown fields changed, appended to a
-- setting local to the transaction (rolled back with it, or with a savepoint).
CREATE FUNCTION note_tracks_for_playlist_snapshots() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  SELECT string_agg(n.id::text, ',') INTO ids FROM changed_old o JOIN changed_new n ON n.id = o.id
  WHERE (o.external_key, o.title, o.artist_id, o.duration_ms, o.release_date, o.genre)
        IS DISTINCT FROM (n.external_key, n.title, n.artist_id, n.duration_ms, n.release_date, n.genre);
  IF ids IS NOT NULL THEN
    PERFORM set_config('deepcuts.snapshot_tracks', concat_ws(',', nullif(current_setting('deepcuts.snapshot_tracks', true), ''), ids), true);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION note_artists_for_playlist_snapshots() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  SELECT string_agg(n.id::text, ',') INTO ids FROM changed_old o JOIN changed_new n ON n.id = o.id
  WHERE (o.external_key, o.name, o.genre) IS DISTINCT FROM (n.external_key, n.name, n.genre);
  IF ids IS NOT NULL THEN
    PERFORM set_config('deepcuts.snapshot_artists', concat_ws(',', nullif(current_setting('deepcuts.snapshot_artists', true), ''), ids), true);
  END IF;
  RETURN NULL;
END $$;

-- At commit (a deferred trigger, queued for each changed row): the first call takes the lock,
-- empties the notes and rewrites each playlist holding a noted track, or a track of a noted
-- artist, once; the calls after it find the notes empty.
CREATE FUNCTION refresh_noted_playlist_snapshots() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  noted_tracks int[] := string_to_array(nullif(current_setting('deepcuts.snapshot_tracks', true), ''), ',')::int[];
  noted_artists int[] := string_to_array(nullif(current_setting('deepcuts.snapshot_artists', true), ''), ',')::int[];
BEGIN
  IF noted_tracks IS NULL AND noted_artists IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('deepcuts.snapshot_tracks', '', true), set_config('deepcuts.snapshot_artists', '', true);
  PERFORM lock_playlist_snapshots();
  -- A statement after the lock: its snapshot holds every generation that committed before.
  PERFORM write_playlist_snapshots(ARRAY(
    SELECT DISTINCT i.playlist_id
    FROM (SELECT unnest(noted_tracks) UNION SELECT t.id FROM tracks t WHERE t.artist_id = ANY(noted_artists)) AS c(id)
    JOIN playlist_items i ON i.track_id = c.id
    JOIN weekly_playlists p ON p.id = i.playlist_id AND p.items_snapshot IS NOT NULL));
  RETURN NULL;
END $$;

CREATE TRIGGER "tracks_note_playlist_snapshots" AFTER UPDATE ON "tracks"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION note_tracks_for_playlist_snapshots();

CREATE TRIGGER "artists_note_playlist_snapshots" AFTER UPDATE ON "artists"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION note_artists_for_playlist_snapshots();

CREATE CONSTRAINT TRIGGER "tracks_refresh_playlist_snapshots_at_commit" AFTER UPDATE ON "tracks"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.external_key, OLD.title, OLD.artist_id, OLD.duration_ms, OLD.release_date, OLD.genre)
        IS DISTINCT FROM (NEW.external_key, NEW.title, NEW.artist_id, NEW.duration_ms, NEW.release_date, NEW.genre))
  EXECUTE FUNCTION refresh_noted_playlist_snapshots();

CREATE CONSTRAINT TRIGGER "artists_refresh_playlist_snapshots_at_commit" AFTER UPDATE ON "artists"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN ((OLD.external_key, OLD.name, OLD.genre) IS DISTINCT FROM (NEW.external_key, NEW.name, NEW.genre))
  EXECUTE FUNCTION refresh_noted_playlist_snapshots();
