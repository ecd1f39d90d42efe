-- CreateEnum
CREATE TYPE "ExternalIdKind" AS ENUM ('MUSICBRAINZ', 'ISRC', 'SPOTIFY');

-- AlterTable
ALTER TABLE "artists" ADD COLUMN     "match_name" TEXT;

-- AlterTable
ALTER TABLE "tracks" ADD COLUMN     "match_title" TEXT;

-- CreateTable
CREATE TABLE "track_external_ids" (
    "kind" "ExternalIdKind" NOT NULL,
    "value" TEXT NOT NULL,
    "track_id" INTEGER NOT NULL,

    CONSTRAINT "track_external_ids_pkey" PRIMARY KEY ("kind","value")
);

-- CreateTable
CREATE TABLE "artist_external_ids" (
    "kind" "ExternalIdKind" NOT NULL,
    "value" TEXT NOT NULL,
    "artist_id" INTEGER NOT NULL,

    CONSTRAINT "artist_external_ids_pkey" PRIMARY KEY ("kind","value")
);

-- CreateIndex
CREATE INDEX "track_external_ids_track_id_idx" ON "track_external_ids"("track_id");

-- CreateIndex
CREATE INDEX "artist_external_ids_artist_id_idx" ON "artist_external_ids"("artist_id");

-- CreateIndex
CREATE INDEX "artists_match_name_idx" ON "artists"("match_name");

-- CreateIndex
CREATE INDEX "tracks_match_title_idx" ON "tracks"("match_title");

-- AddForeignKey
ALTER TABLE "track_external_ids" ADD CONSTRAINT "track_external_ids_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artist_external_ids" ADD CONSTRAINT "artist_external_ids_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE CASCADE ON UPDATE CASCADE;
