
-- AlterEnum
ALTER TYPE "EventKind" ADD VALUE 'PLAYLIST_ADD';

-- AlterTable
ALTER TABLE "listening_events" ADD COLUMN     "playlist_id" INTEGER,
ADD COLUMN     "position" INTEGER;

-- AlterTable
ALTER TABLE "playlist_items" ADD COLUMN     "blend_version" INTEGER,
ADD COLUMN     "explored" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "propensity" DOUBLE PRECISION,
ADD COLUMN     "rank" INTEGER;

-- CreateIndex
CREATE INDEX "listening_events_playlist_id_position_idx" ON "listening_events"("playlist_id", "position");
