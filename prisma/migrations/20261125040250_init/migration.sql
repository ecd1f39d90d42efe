-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EntityKind" AS ENUM ('USER', 'ARTIST', 'TRACK');

-- CreateEnum
CREATE TYPE "EventKind" AS ENUM ('STREAM', 'SAVE', 'ARTIST_VISIT', 'SKIP', 'DISLIKE');

-- CreateEnum
CREATE TYPE "DocumentSource" AS ENUM ('BIO', 'REVIEW', 'BLOG', 'TAG', 'OTHER');

-- CreateEnum
CREATE TYPE "AnalysisStatus" AS ENUM ('PENDING', 'OK', 'FAILED');

-- CreateEnum
CREATE TYPE "ModelKind" AS ENUM ('POPULARITY', 'ALS', 'LMF', 'TEXT', 'AUDIO_FEATURES', 'AUDIO_CNN');

-- CreateEnum
CREATE TYPE "ModelStatus" AS ENUM ('TRAINING', 'READY', 'FAILED');

-- CreateEnum
CREATE TYPE "TermKind" AS ENUM ('N2', 'NP', 'ADJ');

-- CreateEnum
CREATE TYPE "JobKind" AS ENUM ('TRAIN', 'GENERATE', 'ANALYZE', 'IMPORT');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PlaylistStatus" AS ENUM ('COMPLETE', 'SHORT', 'COLD_START');

-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('LISTENER', 'CURATOR', 'ADMIN');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "external_key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artists" (
    "id" SERIAL NOT NULL,
    "external_key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "genre" TEXT,
    "url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artists_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracks" (
    "id" SERIAL NOT NULL,
    "external_key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "artist_id" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "release_date" DATE,
    "audio_path" TEXT,
    "genre" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "listening_events" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "event_id" TEXT NOT NULL,
    "kind" "EventKind" NOT NULL,
    "track_id" INTEGER,
    "artist_id" INTEGER,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "ms_played" INTEGER,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listening_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_track_stats" (
    "user_id" INTEGER NOT NULL,
    "track_id" INTEGER NOT NULL,
    "streams" INTEGER NOT NULL DEFAULT 0,
    "saves" INTEGER NOT NULL DEFAULT 0,
    "skips" INTEGER NOT NULL DEFAULT 0,
    "dislikes" INTEGER NOT NULL DEFAULT 0,
    "ms_played" BIGINT NOT NULL DEFAULT 0,
    "last_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_track_stats_pkey" PRIMARY KEY ("user_id","track_id")
);

-- CreateTable
CREATE TABLE "user_artist_stats" (
    "user_id" INTEGER NOT NULL,
    "artist_id" INTEGER NOT NULL,
    "plays" INTEGER NOT NULL DEFAULT 0,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "dislikes" INTEGER NOT NULL DEFAULT 0,
    "last_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_artist_stats_pkey" PRIMARY KEY ("user_id","artist_id")
);

-- CreateTable
CREATE TABLE "user_seed_artists" (
    "user_id" INTEGER NOT NULL,
    "artist_id" INTEGER NOT NULL,

    CONSTRAINT "user_seed_artists_pkey" PRIMARY KEY ("user_id","artist_id")
);

-- CreateTable
CREATE TABLE "documents" (
    "id" SERIAL NOT NULL,
    "external_key" TEXT NOT NULL,
    "entity_kind" "EntityKind" NOT NULL,
    "artist_id" INTEGER,
    "track_id" INTEGER,
    "source" "DocumentSource" NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audio_analyses" (
    "track_id" INTEGER NOT NULL,
    "status" "AnalysisStatus" NOT NULL DEFAULT 'PENDING',
    "error" TEXT,
    "tempo" DOUBLE PRECISION,
    "tempo_confidence" DOUBLE PRECISION,
    "key" TEXT,
    "mode" TEXT,
    "key_strength" DOUBLE PRECISION,
    "loudness" DOUBLE PRECISION,
    "danceability" DOUBLE PRECISION,
    "energy" DOUBLE PRECISION,
    "dynamic_complexity" DOUBLE PRECISION,
    "onset_rate" DOUBLE PRECISION,
    "beats" BYTEA,
    "mel_spectrogram" BYTEA,
    "mel_bands" INTEGER,
    "mel_frames" INTEGER,
    "analyzed_at" TIMESTAMP(3),

    CONSTRAINT "audio_analyses_pkey" PRIMARY KEY ("track_id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" SERIAL NOT NULL,
    "kind" "ModelKind" NOT NULL,
    "status" "ModelStatus" NOT NULL DEFAULT 'TRAINING',
    "is_active" BOOLEAN NOT NULL DEFAULT false,
    "params" JSONB NOT NULL,
    "metrics" JSONB,
    "history" JSONB,
    "error" TEXT,
    "artifact" BYTEA,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vectors" (
    "model_version_id" INTEGER NOT NULL,
    "entity_kind" "EntityKind" NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "inherited" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "vectors_pkey" PRIMARY KEY ("model_version_id","entity_kind","entity_id")
);

-- CreateTable
CREATE TABLE "top_terms" (
    "model_version_id" INTEGER NOT NULL,
    "entity_kind" "EntityKind" NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "term_kind" "TermKind" NOT NULL,
    "term" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "top_terms_pkey" PRIMARY KEY ("model_version_id","entity_kind","entity_id","term_kind","term")
);

-- CreateTable
CREATE TABLE "blend_configs" (
    "id" SERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "weights" JSONB NOT NULL,
    "constraints" JSONB NOT NULL,
    "author" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "is_active" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blend_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "weekly_playlists" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "week_start" DATE NOT NULL,
    "status" "PlaylistStatus" NOT NULL,
    "blend_config_id" INTEGER,
    "model_versions" JSONB NOT NULL,
    "generated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "weekly_playlists_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "playlist_items" (
    "playlist_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "track_id" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "scores" JSONB NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "playlist_items_pkey" PRIMARY KEY ("playlist_id","position")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" SERIAL NOT NULL,
    "kind" "JobKind" NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "params" JSONB NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT NOT NULL DEFAULT '',
    "result" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "user_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_external_key_key" ON "users"("external_key");

-- CreateIndex
CREATE UNIQUE INDEX "artists_external_key_key" ON "artists"("external_key");

-- CreateIndex
CREATE INDEX "artists_name_idx" ON "artists"("name");

-- CreateIndex
CREATE UNIQUE INDEX "tracks_external_key_key" ON "tracks"("external_key");

-- CreateIndex
CREATE INDEX "tracks_artist_id_idx" ON "tracks"("artist_id");

-- CreateIndex
CREATE INDEX "tracks_title_idx" ON "tracks"("title");

-- CreateIndex
CREATE INDEX "listening_events_track_id_idx" ON "listening_events"("track_id");

-- CreateIndex
CREATE INDEX "listening_events_occurred_at_idx" ON "listening_events"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "listening_events_user_id_event_id_key" ON "listening_events"("user_id", "event_id");

-- CreateIndex
CREATE INDEX "user_track_stats_track_id_idx" ON "user_track_stats"("track_id");

-- CreateIndex
CREATE INDEX "user_artist_stats_artist_id_idx" ON "user_artist_stats"("artist_id");

-- CreateIndex
CREATE UNIQUE INDEX "documents_external_key_key" ON "documents"("external_key");

-- CreateIndex
CREATE INDEX "documents_artist_id_idx" ON "documents"("artist_id");

-- CreateIndex
CREATE INDEX "documents_track_id_idx" ON "documents"("track_id");

-- CreateIndex
CREATE INDEX "audio_analyses_status_idx" ON "audio_analyses"("status");

-- CreateIndex
CREATE INDEX "model_versions_kind_is_active_idx" ON "model_versions"("kind", "is_active");

-- CreateIndex
CREATE UNIQUE INDEX "blend_configs_version_key" ON "blend_configs"("version");

-- CreateIndex
CREATE INDEX "weekly_playlists_week_start_idx" ON "weekly_playlists"("week_start");

-- CreateIndex
CREATE UNIQUE INDEX "weekly_playlists_user_id_week_start_key" ON "weekly_playlists"("user_id", "week_start");

-- CreateIndex
CREATE INDEX "playlist_items_track_id_idx" ON "playlist_items"("track_id");

-- CreateIndex
CREATE INDEX "jobs_kind_status_idx" ON "jobs"("kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- AddForeignKey
ALTER TABLE "tracks" ADD CONSTRAINT "tracks_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listening_events" ADD CONSTRAINT "listening_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listening_events" ADD CONSTRAINT "listening_events_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listening_events" ADD CONSTRAINT "listening_events_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_track_stats" ADD CONSTRAINT "user_track_stats_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_track_stats" ADD CONSTRAINT "user_track_stats_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_artist_stats" ADD CONSTRAINT "user_artist_stats_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_artist_stats" ADD CONSTRAINT "user_artist_stats_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_seed_artists" ADD CONSTRAINT "user_seed_artists_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_seed_artists" ADD CONSTRAINT "user_seed_artists_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_artist_id_fkey" FOREIGN KEY ("artist_id") REFERENCES "artists"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audio_analyses" ADD CONSTRAINT "audio_analyses_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vectors" ADD CONSTRAINT "vectors_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "top_terms" ADD CONSTRAINT "top_terms_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weekly_playlists" ADD CONSTRAINT "weekly_playlists_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weekly_playlists" ADD CONSTRAINT "weekly_playlists_blend_config_id_fkey" FOREIGN KEY ("blend_config_id") REFERENCES "blend_configs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playlist_items" ADD CONSTRAINT "playlist_items_playlist_id_fkey" FOREIGN KEY ("playlist_id") REFERENCES "weekly_playlists"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "playlist_items" ADD CONSTRAINT "playlist_items_track_id_fkey" FOREIGN KEY ("track_id") REFERENCES "tracks"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
