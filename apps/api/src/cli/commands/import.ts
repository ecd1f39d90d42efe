import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { importEventsCsv } from "@deepcuts/engine/importers/csv-events.ts";
import { importTextsJsonl } from "@deepcuts/engine/importers/jsonl-texts.ts";
import { importLastfm } from "@deepcuts/engine/importers/lastfm.ts";
import { importAudioFolder } from "@deepcuts/engine/importers/audio-folder.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

const KINDS = ["lastfm-2k", "events", "texts", "audio"] as const;

export const importCommand: Command = {
  name: "import",
  summary: "import real data: a Last.fm 2K folder, a CSV of listening events, JSON lines of texts, a folder of audio",
  usage: "deepcuts import lastfm-2k <folder> | events <file.csv> | texts <file.jsonl> | audio <folder> [--json] [--quiet]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { json: { type: "boolean" }, quiet: { type: "boolean" } });
    const [kind, target] = positionals;
    if (!KINDS.includes(kind as (typeof KINDS)[number])) throw new UsageError(`the first argument must be one of ${KINDS.join(", ")}, got '${kind ?? ""}'`);
    if (!target) throw new UsageError(`import ${kind} needs a path`);
    const path = resolve(target);
    if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
    const wantsFolder = kind === "lastfm-2k" || kind === "audio";
    if (statSync(path).isDirectory() !== wantsFolder) throw new UsageError(`import ${kind} needs a ${wantsFolder ? "folder" : "file"}, got ${path}`);
    const bar = new ProgressBar(`import ${kind}`, !values.quiet);
    const report = await withDatabase(ctx, async (db) => {
      switch (kind) {
        case "lastfm-2k": return importLastfm(db, path, bar.callback);
        case "events": return importEventsCsv(db, path, bar.callback);
        case "texts": return importTextsJsonl(db, path, bar.callback);
        default: return importAudioFolder(db, path, bar.callback);
      }
    });
    bar.done("finished");
    emit(ctx, Boolean(values.json), report, () => {
      const created = Object.entries(report.created).map(([k, v]) => `${v} ${k}`).join(", ");
      const skipped = Object.entries(report.skipped).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(", ");
      return `imported ${report.source}: ${created}${skipped ? `; skipped ${skipped}` : ""} in ${report.seconds.toFixed(1)} s`;
    });
    return 0;
  },
};
