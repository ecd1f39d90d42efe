-- A weekly playlist keeps its items, each with its track and artist, as one JSON snapshot written
-- when it is made, so the weekly playlist query reads one row (docs/api.md). The functions below
-- are the one place that says what an item row holds (ItemRow in
-- packages/engine/src/listener/playlists.ts): the generation writes snapshots through them, the
-- triggers rewrite them, and a playlist without one (made before this migration) is read through them.
ALTER TABLE "weekly_playlists" ADD COLUMN "items_snapshot" JSON;

-- The items of the playlists `ids`, each with its track and artist. A single SELECT in SQL, so
-- PostgreSQL inlines it into the query that calls it and plans the two together.
CREATE FUNCTION playlist_item_rows(ids integer[]) RETURNS TABLE (
  "playlistId" integer, "position" integer, "trackId" integer, "score" double precision, "scores" jsonb, "reason" text,
  "blendVersion" integer, "rank" integer, "explored" boolean, "propensity" double precision,
  "durationMs" integer, "tKey" text, "title" text, "artistId" integer, "releaseDate" text, "tGenre" text,
  "aKey" text, "aName" text, "aGenre" text)
LANGUAGE sql STABLE AS $$
  SELECT i.playlist_id, i.position, i.track_id, i.score, i.scores, i.reason, i.blend_version, i.rank, i.explored, i.propensity,
         t.duration_ms, t.external_key, t.title, t.artist_id, to_char(t.release_date, 'YYYY-MM-DD'), t.genre,
         a.external_key, a.name, a.genre
  FROM playlist_items i
  -- OFFSET 0 keeps each lookup a primary-key probe per item: flattened into joins, the planner
  -- hashes the whole tracks table when its statistics are stale (PGlite never analyses by itself).
  CROSS JOIN LATERAL (SELECT * FROM tracks t WHERE t.id = i.track_id OFFSET 0) t
  CROSS JOIN LATERAL (SELECT * FROM artists a WHERE a.id = t.artist_id OFFSET 0) a
  WHERE i.playlist_id = ANY(ids)
$$;

-- Each playlist's snapshot: its item rows as a JSON array in position order (a playlist without
-- items has no row here).
CREATE FUNCTION playlist_items_snapshots(ids integer[]) RETURNS TABLE ("playlistId" integer, "items" json)
LANGUAGE sql STABLE AS $$
  SELECT r."playlistId", json_agg(r ORDER BY r."position") FROM playlist_item_rows(ids) r GROUP BY r."playlistId"
$$;

-- (Re)writes the snapshots of the playlists `ids`.
CREATE FUNCTION write_playlist_snapshots(ids integer[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE weekly_playlists p SET items_snapshot = coalesce(s."items", '[]'::json)
  FROM unnest(ids) AS x(id) LEFT JOIN playlist_items_snapshots(ids) s ON s."playlistId" = x.id
  WHERE p.id = x.id
$$;

-- A track or artist whose shown fields change (a rename, a duration found later) rewrites the
-- snapshots that hold it, so a snapshot never shows an old title.
CREATE FUNCTION refresh_playlist_snapshots_of_tracks() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM write_playlist_snapshots(ARRAY(
    SELECT DISTINCT i.playlist_id FROM changed_old o JOIN changed_new n ON n.id = o.id
      JOIN playlist_items i ON i.track_id = n.id JOIN weekly_playlists p ON p.id = i.playlist_id AND p.items_snapshot IS NOT NULL
    WHERE (o.external_key, o.title, o.artist_id, o.duration_ms, o.release_date, o.genre)
          IS DISTINCT FROM (n.external_key, n.title, n.artist_id, n.duration_ms, n.release_date, n.genre)));
  RETURN NULL;
END $$;

CREATE FUNCTION refresh_playlist_snapshots_of_artists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM write_playlist_snapshots(ARRAY(
    SELECT DISTINCT i.playlist_id FROM changed_old o JOIN changed_new n ON n.id = o.id
      JOIN tracks t ON t.artist_id = n.id JOIN playlist_items i ON i.track_id = t.id
      JOIN weekly_playlists p ON p.id = i.playlist_id AND p.items_snapshot IS NOT NULL
    WHERE (o.external_key, o.name, o.genre) IS DISTINCT FROM (n.external_key, n.name, n.genre)));
  RETURN NULL;
END $$;

CREATE TRIGGER "tracks_refresh_playlist_snapshots" AFTER UPDATE ON "tracks"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_playlist_snapshots_of_tracks();

CREATE TRIGGER "artists_refresh_playlist_snapshots" AFTER UPDATE ON "artists"
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_playlist_snapshots_of_artists();
