-- Substring search over titles and names (tracks, artists, users: the `search` arguments of the
-- API) is served by trigram GIN indexes, so a search costs index lookups instead of a scan of
-- every row. prisma/schema.prisma declares them (`@@index(..., type: Gin)` with gin_trgm_ops);
-- PGlite loads pg_trgm on every open (packages/db/src/extensions.ts).
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

CREATE INDEX "tracks_title_trgm_idx" ON "tracks" USING GIN ("title" gin_trgm_ops);

CREATE INDEX "artists_name_trgm_idx" ON "artists" USING GIN ("name" gin_trgm_ops);

CREATE INDEX "users_name_trgm_idx" ON "users" USING GIN ("name" gin_trgm_ops);

CREATE INDEX "users_external_key_trgm_idx" ON "users" USING GIN ("external_key" gin_trgm_ops);
