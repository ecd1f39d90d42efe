
-- CreateEnum
CREATE TYPE "ExperimentDesign" AS ENUM ('AB', 'INTERLEAVING');

-- CreateEnum
CREATE TYPE "ExperimentArm" AS ENUM ('CONTROL', 'CANDIDATE');

-- CreateEnum
CREATE TYPE "ExperimentStatus" AS ENUM ('RUNNING', 'STOPPED');

-- AlterTable
ALTER TABLE "playlist_items" ADD COLUMN     "arm" "ExperimentArm";

-- CreateTable
CREATE TABLE "experiments" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "design" "ExperimentDesign" NOT NULL,
    "status" "ExperimentStatus" NOT NULL DEFAULT 'RUNNING',
    "control_blend_id" INTEGER NOT NULL,
    "candidate_blend_id" INTEGER NOT NULL,
    "split" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "salt" TEXT NOT NULL,
    "minimum_effect" DOUBLE PRECISION NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
    "power" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "sample_size" INTEGER NOT NULL,
    "plan" JSONB NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMP(3),

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiment_exposures" (
    "experiment_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "week_start" DATE NOT NULL,
    "playlist_id" INTEGER NOT NULL,
    "arm" "ExperimentArm",

    CONSTRAINT "experiment_exposures_pkey" PRIMARY KEY ("experiment_id","user_id","week_start")
);

-- CreateIndex
CREATE INDEX "experiments_status_idx" ON "experiments"("status");

-- CreateIndex
CREATE INDEX "experiment_exposures_user_id_idx" ON "experiment_exposures"("user_id");

-- CreateIndex
CREATE INDEX "experiment_exposures_playlist_id_idx" ON "experiment_exposures"("playlist_id");

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_control_blend_id_fkey" FOREIGN KEY ("control_blend_id") REFERENCES "blend_configs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_candidate_blend_id_fkey" FOREIGN KEY ("candidate_blend_id") REFERENCES "blend_configs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_playlist_id_fkey" FOREIGN KEY ("playlist_id") REFERENCES "weekly_playlists"("id") ON DELETE CASCADE ON UPDATE CASCADE;
