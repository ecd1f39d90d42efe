
-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "JobKind" ADD VALUE 'SIMULATE';
ALTER TYPE "JobKind" ADD VALUE 'METRICS';

-- CreateTable
CREATE TABLE "outcome_metrics" (
    "week_start" DATE NOT NULL,
    "blend_version" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "lower" DOUBLE PRECISION,
    "upper" DOUBLE PRECISION,
    "n" INTEGER NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outcome_metrics_pkey" PRIMARY KEY ("week_start","blend_version","source","metric")
);
