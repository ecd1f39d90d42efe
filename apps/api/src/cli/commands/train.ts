import { DEFAULT_MODELS, trainModels, TRAINABLE } from "@deepcuts/engine/training/train.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

export const trainCommand: Command = {
  name: "train",
  summary: `train models from the database, evaluate them on a holdout and activate them (${TRAINABLE.join(", ")}; all = ${DEFAULT_MODELS.join(", ")})`,
  usage: `deepcuts train [--model ${TRAINABLE.join("|")}|all] [--json] [--quiet]`,
  async run(argv, ctx) {
    const { values } = parse(argv, { model: { type: "string", default: "all" }, json: { type: "boolean" }, quiet: { type: "boolean" } }, false);
    const model = String(values.model);
    if (model !== "all" && !TRAINABLE.includes(model as (typeof TRAINABLE)[number])) {
      throw new UsageError(`--model must be one of ${TRAINABLE.join(", ")}, all; got '${model}'`);
    }
    const results = await withDatabase(ctx, (db) =>
      trainModels(db, model === "all" ? DEFAULT_MODELS : [model as (typeof TRAINABLE)[number]], {
        threads: ctx.config.threads,
        skipWithoutData: model === "all",
        progress: (name) => new ProgressBar(`train ${name}`, !values.quiet),
      }),
    );
    const shown = ["recall@20", "ndcg@10", "unseenTrackAuc", "tracks", "documents", "terms", "articles", "pairs"];
    emit(ctx, Boolean(values.json), results, () =>
      results
        .map((r) => {
          const metrics = Object.entries(r.metrics ?? {})
            .filter(([k, v]) => shown.includes(k) && typeof v === "number")
            .map(([k, v]) => `${k} ${Number.isInteger(v) ? Number(v) : Number(v).toFixed(3)}`);
          if (r.skipped) return `${r.model}: skipped (${r.skipped})`;
          return `${r.model}: version ${r.versionId}${metrics.length ? `, ${metrics.join(", ")}` : ""}`;
        })
        .join("\n"),
    );
    return 0;
  },
};
