import { createExperiment, EXPERIMENT_DESIGNS, listExperiments, stopExperiment, type ExperimentDesign } from "@deepcuts/engine/experiments/experiments.ts";
import { experimentResults } from "@deepcuts/engine/experiments/results.ts";
import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A required positive integer flag (an id or a version). */
function required(value: unknown, name: string): number {
  if (value === undefined) throw new UsageError(`this needs --${name} <positive integer>`);
  return numberFlag(value, name, NaN, { min: 1, integer: true });
}

export const experimentCommand: Command = {
  name: "experiment",
  summary: "compare the active blend with a candidate version on listeners: A/B or interleaving (docs/weekly.md#experiments)",
  usage: [
    "deepcuts experiment list [--json]",
    "deepcuts experiment create --name <text> --design ab|interleaving --candidate <blend version> [--split 0.5] [--minimum-effect 0.02] [--alpha 0.05] [--power 0.8] [--json]",
    "deepcuts experiment results --id <id> [--json]",
    "deepcuts experiment stop --id <id> [--json]",
    "(the power figures of both designs on a simulated world: npm run bench:experiments)",
  ].join("\n       "),
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      name: { type: "string" },
      design: { type: "string" },
      candidate: { type: "string" },
      split: { type: "string" },
      "minimum-effect": { type: "string" },
      alpha: { type: "string" },
      power: { type: "string" },
      id: { type: "string" },
      json: { type: "boolean" },
    });
    const [action, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    const json = Boolean(values.json);
    const id = () => required(values.id, "id");
    if (action === "list") {
      const rows = await withDatabase(ctx, (db) => listExperiments(db, { first: 100 }), { migrate: false });
      emit(ctx, json, rows, () =>
        rows.length === 0
          ? "no experiments"
          : rows
              .map(
                (e) =>
                  `${e.id}  ${e.status.padEnd(7)}  ${e.design.padEnd(12)}  v${e.controlVersion} vs v${e.candidateVersion}  ${e.sampleSize} listeners planned  ${e.name}`,
              )
              .join("\n"),
      );
      return 0;
    }
    if (action === "create") {
      const design = String(values.design ?? "").toUpperCase();
      if (!(EXPERIMENT_DESIGNS as readonly string[]).includes(design))
        throw new UsageError(`--design must be ab or interleaving, got '${values.design ?? ""}'`);
      if (typeof values.name !== "string") throw new UsageError("experiment create needs --name <text>");
      const input = {
        name: values.name,
        design: design as ExperimentDesign,
        candidateVersion: required(values.candidate, "candidate"),
        split: values.split === undefined ? undefined : numberFlag(values.split, "split", 0.5),
        minimumEffect: values["minimum-effect"] === undefined ? undefined : numberFlag(values["minimum-effect"], "minimum-effect", 0.02),
        alpha: values.alpha === undefined ? undefined : numberFlag(values.alpha, "alpha", 0.05),
        power: values.power === undefined ? undefined : numberFlag(values.power, "power", 0.8),
        author: "cli",
      };
      const created = await withDatabase(ctx, (db) => createExperiment(db, input), { migrate: false });
      emit(
        ctx,
        json,
        created,
        () =>
          `experiment ${created.id} running: v${created.controlVersion} (active) against v${created.candidateVersion}, ${created.design}; verdict after ${created.sampleSize} listeners`,
      );
      return 0;
    }
    if (action === "stop") {
      const experimentId = id();
      const stopped = await withDatabase(ctx, (db) => stopExperiment(db, experimentId), { migrate: false });
      emit(ctx, json, stopped, () => `experiment ${stopped.id} ${stopped.status.toLowerCase()}`);
      return 0;
    }
    if (action === "results") {
      const experimentId = id();
      const r = await withDatabase(ctx, (db) => experimentResults(db, experimentId), { migrate: false });
      emit(ctx, json, r, () =>
        [
          `experiment ${r.experiment.id} (${r.experiment.design}, ${r.experiment.status.toLowerCase()}): ${r.traffic.listeners} of ${r.sampleSize} listeners planned, weeks ${r.traffic.weeks.join(", ") || "none yet"}`,
          ...r.arms.map(
            (a) =>
              `  ${a.arm.padEnd(9)} v${a.blendVersion}: ${a.metrics.listeners} listeners, stream rate ${pct(a.metrics.streamRate.value)} [${pct(a.metrics.streamRate.lower)}, ${pct(a.metrics.streamRate.upper)}]`,
          ),
          ...(r.preference
            ? [`  preference: ${r.preference.wins} listeners for the candidate, ${r.preference.losses} for the control, ${r.preference.ties} ties`]
            : []),
          r.test
            ? `  verdict ${r.verdict}: effect ${r.test.effect.value.toFixed(4)} [${r.test.effect.lower.toFixed(4)}, ${r.test.effect.upper.toFixed(4)}], z ${r.test.z.toFixed(2)}, p ${r.test.pValue.toPrecision(2)}`
            : `  verdict COLLECTING: the test is read once the planned number of listeners took part (fixed horizon)`,
        ].join("\n"),
      );
      return 0;
    }
    throw new UsageError(`the first argument must be list, create, results or stop, got '${action ?? ""}'`);
  },
};
