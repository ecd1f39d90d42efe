-- When a model version became the active one of its kind (the overview's "previous active version").
ALTER TABLE "model_versions" ADD COLUMN "activated_at" TIMESTAMP(3);

-- Versions active before this column existed: their activation is taken as their end of training.
UPDATE "model_versions" SET "activated_at" = coalesce("finished_at", "created_at") WHERE "is_active";
