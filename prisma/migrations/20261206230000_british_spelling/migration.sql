-- One spelling in code and names (British: analyse, catalogue, neighbour, normalise).
ALTER TYPE "JobKind" RENAME VALUE 'ANALYZE' TO 'ANALYSE';
ALTER TABLE "audio_analyses" RENAME COLUMN "analyzed_at" TO "analysed_at";
