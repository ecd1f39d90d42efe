-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "JobStatus" ADD VALUE 'INTERRUPTED';
ALTER TYPE "JobStatus" ADD VALUE 'DEAD_LETTER';

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cancel_requested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "heartbeat_at" TIMESTAMP(3),
ADD COLUMN     "owner" TEXT,
ADD COLUMN     "parent_id" INTEGER,
ADD COLUMN     "queue_job_id" TEXT,
ADD COLUMN     "queue_name" TEXT;

-- CreateIndex
CREATE INDEX "jobs_parent_id_idx" ON "jobs"("parent_id");

-- CreateIndex
CREATE INDEX "jobs_status_heartbeat_at_idx" ON "jobs"("status", "heartbeat_at");
