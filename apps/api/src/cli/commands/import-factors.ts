import { resolve } from "node:path";
import { FACTOR_MODELS, importFactors, type FactorModel } from "@deepcuts/engine/importers/spark-factors.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type CommandContext } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

export const IMPORT_FACTORS_USAGE = "factors --users <parquet file|folder> --items <parquet file|folder> [--model als] [--activate]";

/** `deepcuts import factors`: a Spark MLlib ALSModel's userFactors and itemFactors as a new ALS model version. */
export async function importFactorsCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    users: { type: "string" },
    items: { type: "string" },
    model: { type: "string" },
    activate: { type: "boolean" },
    json: { type: "boolean" },
    quiet: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}': give the files with --users and --items`);
  for (const flag of ["users", "items"] as const) {
    if (typeof values[flag] !== "string" || values[flag] === "")
      throw new UsageError(
        `import factors needs --${flag} <parquet file or folder> (Spark's model.${flag === "users" ? "userFactors" : "itemFactors"} written as Parquet)`,
      );
  }
  const model = (values.model ?? "als") as FactorModel;
  if (!FACTOR_MODELS.includes(model)) throw new UsageError(`--model must be one of ${FACTOR_MODELS.join(", ")}, got '${String(values.model)}'`);
  const bar = new ProgressBar("import factors", !values.quiet);
  const result = await withDatabase(ctx, (db) =>
    importFactors(db, {
      users: resolve(values.users as string),
      items: resolve(values.items as string),
      model,
      activate: Boolean(values.activate),
      onProgress: bar.callback,
    }),
  );
  bar.done("finished");
  emit(
    ctx,
    Boolean(values.json),
    result,
    () =>
      `${result.created ? "stored" : "already stored:"} ALS model version ${result.versionId} from Spark factors (${result.users} listeners, ${result.items} ${result.level}s, ${result.factors} factors)` +
      (result.active ? ", active" : `, not active (deepcuts import factors ... --activate, or activate version ${result.versionId})`),
  );
  return 0;
}
