-- Only events that name a weekly playlist slot are looked up by (playlist_id, position) (the
-- slot outcomes: outcomes/metrics.ts, experiments/); most events name none. A partial index
-- leaves those out, so the bulk merge writes three index entries per event instead of four
-- (docs/benchmarks.md, "Bulk event import by COPY"). Prisma's schema cannot state the predicate;
-- the index keeps its name and columns, so `npm run db:diff -- check` sees no change.

-- DropIndex
DROP INDEX "listening_events_playlist_id_position_idx";

-- CreateIndex
CREATE INDEX "listening_events_playlist_id_position_idx" ON "listening_events"("playlist_id", "position") WHERE "playlist_id" IS NOT NULL;
