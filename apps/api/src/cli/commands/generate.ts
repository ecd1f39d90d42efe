import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { InstantError, parseIsoInstant } from "@deepcuts/engine/validation/instant.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

export const generateCommand: Command = {
  name: "generate",
  summary: "make every weekly playlist that is due (safe to re-run: each listener's week is made once)",
  usage: "deepcuts generate [--now <ISO time>] [--json] [--quiet]",
  async run(argv, ctx) {
    const { values } = parse(argv, { now: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean" } }, false);
    const now = values.now === undefined ? new Date() : nowFlag(String(values.now));
    const bar = new ProgressBar("generate", !values.quiet);
    const report = await withDatabase(ctx, (db) => generateDuePlaylists(db, { now, onProgress: bar.callback }));
    bar.done(`${report.made} playlist(s) made`);
    emit(
      ctx,
      Boolean(values.json),
      report,
      () =>
        `made ${report.made} playlist(s) (${report.short} short, ${report.coldStart} cold start); ${report.alreadyMade} already made this week; blend v${report.blendConfigVersion}; ${report.seconds.toFixed(1)} s`,
    );
    return 0;
  },
};

/** `--now`: the shared instant rule (a real calendar date with a zone, 2000-01-01 to a day ahead). */
function nowFlag(raw: string): Date {
  try {
    return parseIsoInstant(raw, "--now");
  } catch (error) {
    if (error instanceof InstantError) throw new UsageError(error.message);
    throw error;
  }
}
