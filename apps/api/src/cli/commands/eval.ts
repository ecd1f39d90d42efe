import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";
import { evaluateDatabaseModels } from "@deepcuts/engine/training/evaluate-db.ts";

const MODELS = ["als", "lmf", "popularity", "text", "audio", "audio-features", "blend", "ease", "ease-als", "co-mention"];

function fmt(metrics: Record<string, unknown>): string {
  return Object.entries(metrics)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k} ${(v as number).toFixed(Number.isInteger(v) ? 0 : 4)}`)
    .join("  ");
}

export const evalCommand: Command = {
  name: "eval",
  summary: "offline evaluation, straight from files or on the database's data (popularity always reported beside)",
  usage:
    "deepcuts eval --dataset lastfm-2k:<folder>|artist-bios:<folder>|audio:<folder>|demo[:seed]|db --model als,lmf,popularity|text|audio|audio-features|blend|ease|ease-als|co-mention " +
    "[--factors 64] [--regularization 0.05 (blend, ease-als: 20)] [--alpha 1 (blend, ease-als: 0.025)] [--confidence log1p|raw (blend, ease-als: raw, of BM25-weighted plays)] [--iterations 15] [--solver cg|cholesky] [--seed 42] " +
    "[--split-out <dir>] [--factors-out <dir>] [--validate] [--json] [--quiet]",
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      {
        dataset: { type: "string" },
        model: { type: "string", default: "als" },
        factors: { type: "string" },
        regularization: { type: "string" },
        alpha: { type: "string" },
        confidence: { type: "string" },
        iterations: { type: "string" },
        solver: { type: "string" },
        seed: { type: "string" },
        threads: { type: "string" },
        "split-out": { type: "string" },
        "factors-out": { type: "string" },
        json: { type: "boolean" },
        quiet: { type: "boolean" },
        validate: { type: "boolean" },
      },
      false,
    );
    const dataset = values.dataset ? String(values.dataset) : null;
    if (!dataset) throw new UsageError("--dataset is required");
    const models = String(values.model)
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
    for (const m of models) if (!MODELS.includes(m)) throw new UsageError(`--model must be among ${MODELS.join(", ")}, got '${m}'`);
    const seed = numberFlag(values.seed, "seed", 42, { integer: true });
    const confidence = values.confidence === undefined ? undefined : String(values.confidence);
    if (confidence !== undefined && confidence !== "log1p" && confidence !== "raw")
      throw new UsageError(`--confidence must be log1p or raw, got '${confidence}'`);
    const solver = values.solver === undefined ? undefined : String(values.solver);
    if (solver !== undefined && solver !== "cg" && solver !== "cholesky") throw new UsageError(`--solver must be cg or cholesky, got '${solver}'`);
    const cfOptions = {
      factors: values.factors === undefined ? undefined : numberFlag(values.factors, "factors", 64, { min: 1, max: 1024, integer: true }),
      regularization: values.regularization === undefined ? undefined : numberFlag(values.regularization, "regularization", 0.05, { min: 0 }),
      alpha: values.alpha === undefined ? undefined : numberFlag(values.alpha, "alpha", 1, { min: 0 }),
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed: tsc widens it to string without
      confidence: confidence as "log1p" | "raw" | undefined,
      iterations: values.iterations === undefined ? undefined : numberFlag(values.iterations, "iterations", 15, { min: 1, max: 1000, integer: true }),
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed: tsc widens it to string without
      solver: solver as "cg" | "cholesky" | undefined,
      threads: values.threads === undefined ? ctx.config.threads : numberFlag(values.threads, "threads", 1, { min: 1, max: 256, integer: true }),
      seed,
    };
    const bar = new ProgressBar("eval", !values.quiet);
    const kind = dataset === "db" ? "db" : dataset.split(":")[0];
    // Only the collaborative evaluations write splits and factors: refuse rather than write nothing.
    const writesFiles = (kind === "db" || kind === "lastfm-2k") && models.every((m) => m === "als" || m === "lmf" || m === "popularity");
    for (const flag of ["split-out", "factors-out"] as const) {
      if (values[flag] !== undefined && !writesFiles)
        throw new UsageError(`--${flag} applies to --model als, lmf or popularity on --dataset db or lastfm-2k:<folder>`);
    }
    let result: unknown;
    if (kind === "db") {
      const cf = models.filter((m) => m === "als" || m === "lmf" || m === "popularity");
      if (cf.length !== models.length) throw new UsageError("--dataset db evaluates als, lmf and popularity");
      result = await withDatabase(ctx, (db) =>
        evaluateDatabaseModels(db, cf, {
          ...cfOptions,
          splitOut: values["split-out"] ? String(values["split-out"]) : undefined,
          factorsOut: values["factors-out"] ? String(values["factors-out"]) : undefined,
          onProgress: bar.callback,
        }),
      );
    } else if (kind === "lastfm-2k" && models.every((m) => m === "als" || m === "lmf" || m === "popularity")) {
      const { evaluateCf } = await import("@deepcuts/models/eval");
      result = await evaluateCf({
        dataset,
        models,
        ...cfOptions,
        splitOut: values["split-out"] ? String(values["split-out"]) : undefined,
        factorsOut: values["factors-out"] ? String(values["factors-out"]) : undefined,
        onProgress: bar.callback,
      });
    } else if ((kind === "lastfm-2k" || kind === "artist-bios") && models.length === 1 && models[0] === "text") {
      const { evaluateText } = await import("@deepcuts/models/text");
      result = await evaluateText({ dataset, seed, onProgress: bar.callback });
    } else if (kind === "lastfm-2k" && models.length === 1 && (models[0] === "ease" || models[0] === "ease-als")) {
      // The --seed split and a second one (seed 7), lambda and blend weight chosen on validation; ALS is fitted
      // on BM25-weighted plays with the blend's raw confidence, alpha and regularization (bm25AlsChoice)
      // unless a flag gives one.
      const { evaluateEase } = await import("@deepcuts/models/eval");
      result = await evaluateEase({ dataset, model: models[0], ...cfOptions, seeds: [...new Set([seed, 7])], onProgress: bar.callback });
    } else if (kind === "lastfm-2k" && models.length === 1 && models[0] === "blend") {
      // EASE + ALS + tags + RP3beta on the --seed split and a second one (seed 7), weights chosen on validation;
      // ALS is fitted on BM25-weighted plays (blendBm25Defaults) with the blend's own raw confidence, alpha and
      // regularization (blendAlsDefaults) unless a flag gives one.
      // EASE keeps only items with 3+ listeners (blendEaseDefaults).
      const { evaluateBlendLastfm } = await import("@deepcuts/models/blend");
      result = await evaluateBlendLastfm({ dataset, ...cfOptions, seeds: [...new Set([seed, 7])], onProgress: bar.callback });
    } else if (kind === "demo" && models.length === 1 && models[0] === "audio") {
      const { evaluateColdStart } = await import("@deepcuts/engine/eval/cold-start.ts");
      const demoSeed = dataset.includes(":") ? numberFlag(dataset.split(":")[1], "dataset demo seed", 42, { integer: true }) : seed;
      result = await evaluateColdStart({ seed: demoSeed, threads: cfOptions.threads, onProgress: bar.callback });
    } else if (kind === "demo" && models.length === 1 && models[0] === "blend") {
      const { evaluateDemoBlend } = await import("@deepcuts/engine/eval/demo-blend.ts");
      const demoSeed = dataset.includes(":") ? numberFlag(dataset.split(":")[1], "dataset demo seed", 42, { integer: true }) : seed;
      result = await evaluateDemoBlend({ seed: demoSeed, threads: cfOptions.threads, onProgress: bar.callback });
    } else if (kind === "demo" && models.length === 1 && models[0] === "co-mention") {
      // Genre agreement@10 of artist neighbours: co-mention from the generated articles against the text model.
      const { evaluateDemoCoMention } = await import("@deepcuts/engine/eval/demo-co-mention.ts");
      const demoSeed = dataset.includes(":") ? numberFlag(dataset.split(":")[1], "dataset demo seed", 42, { integer: true }) : seed;
      result = await evaluateDemoCoMention({ seed: demoSeed, onProgress: bar.callback });
    } else if (kind === "audio" && models.length === 1 && models[0] === "audio-features") {
      const { evaluateAudioFeatures } = await import("@deepcuts/models/audio");
      // --validate: the octave and key settings cross-validated on the --seed split and a second one (seed 7).
      result = await evaluateAudioFeatures({
        dataset,
        threads: cfOptions.threads,
        validationSeeds: values.validate ? [...new Set([seed, 7])] : undefined,
        onProgress: (done, total, r) => bar.update(r.path.split("/").pop() ?? "", done, total),
      });
    } else {
      throw new UsageError(`cannot evaluate --model ${models.join(",")} on a ${kind} dataset (see deepcuts eval --help)`);
    }
    bar.done("finished");
    emit(ctx, Boolean(values.json), result, () => {
      const r = result as Record<string, unknown>;
      if (r && typeof r === "object" && Object.values(r).every((v) => v && typeof v === "object" && "recall@20" in v)) {
        return Object.entries(r)
          .map(([name, m]) => `${name.padEnd(12)} ${fmt(m as Record<string, unknown>)}`)
          .join("\n");
      }
      return JSON.stringify(result, null, 2);
    });
    return 0;
  },
};
