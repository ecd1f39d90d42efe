import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { importEvents } from "@deepcuts/engine/importers/csv-events.ts";
import { importTextsJsonl } from "@deepcuts/engine/importers/jsonl-texts.ts";
import { importLastfm } from "@deepcuts/engine/importers/lastfm.ts";
import { importAudioFolder } from "@deepcuts/engine/importers/audio-folder.ts";
import { historyFiles, type HistoryFormat } from "@deepcuts/engine/importers/history-files.ts";
import type { ImportReport } from "@deepcuts/engine/importers/import-error.ts";
import { importLastfmScrobbles } from "@deepcuts/engine/importers/lastfm-scrobbles.ts";
import { importListenBrainz } from "@deepcuts/engine/importers/listenbrainz.ts";
import type { PlayImportOptions } from "@deepcuts/engine/importers/plays.ts";
import { importSpotifyHistory } from "@deepcuts/engine/importers/spotify.ts";
import type { Database } from "@deepcuts/db";
import { startImport } from "@deepcuts/engine/curation/work.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type Command, type CommandContext } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";
import { IMPORT_FACTORS_USAGE, importFactorsCommand } from "./import-factors.ts";

const KINDS = ["lastfm-2k", "events", "texts", "audio", "spotify", "lastfm-scrobbles", "listenbrainz"] as const;
const HISTORY: Record<HistoryFormat, (db: Database, path: string, options: PlayImportOptions) => Promise<ImportReport>> = {
  spotify: importSpotifyHistory,
  "lastfm-scrobbles": importLastfmScrobbles,
  listenbrainz: importListenBrainz,
};

const summary = (report: ImportReport) => {
  const created = Object.entries(report.created)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  const read = report.read
    ? ` (read ${Object.entries(report.read)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")})`
    : "";
  const skipped = Object.entries(report.skipped)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  return `imported ${report.source}: ${created}${read}${skipped ? `; skipped ${skipped}` : ""} in ${report.seconds.toFixed(1)} s`;
};

export const importCommand: Command = {
  name: "import",
  summary:
    "import real data: a Last.fm 2K folder, a CSV of listening events, JSON lines of texts, a folder of audio, a listener's Spotify, Last.fm or ListenBrainz history, or ALS factors trained by Spark (Parquet)",
  usage:
    "deepcuts import lastfm-2k <folder> | events <file.csv|file.jsonl> | texts <file.jsonl> | audio <folder> | " +
    "spotify|lastfm-scrobbles|listenbrainz <file|folder> --user <key> [--user-name <name>] [--time-zone <IANA zone>] | " +
    `${IMPORT_FACTORS_USAGE}  [--queue] [--json] [--quiet]  (--queue: run it as a job on a worker)`,
  async run(argv, ctx) {
    if (argv[0] === "factors") return importFactorsCommand(argv.slice(1), ctx);
    const { values, positionals } = parse(argv, {
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      user: { type: "string" },
      "user-name": { type: "string" },
      "time-zone": { type: "string" },
      queue: { type: "boolean" },
    });
    const [kind, target] = positionals;
    if (!KINDS.includes(kind as (typeof KINDS)[number]))
      throw new UsageError(`the first argument must be one of ${KINDS.join(", ")}, factors, got '${kind ?? ""}'`);
    if (!target) throw new UsageError(`import ${kind} needs a path`);
    const path = resolve(target);
    if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
    if (values.queue) return queueImport(kind, path, values, ctx);
    if (kind in HISTORY) return importHistory(kind as HistoryFormat, path, values, ctx);
    if (values.user !== undefined) throw new UsageError(`--user applies to spotify, lastfm-scrobbles and listenbrainz imports, not ${kind}`);
    const wantsFolder = kind === "lastfm-2k" || kind === "audio";
    if (statSync(path).isDirectory() !== wantsFolder) throw new UsageError(`import ${kind} needs a ${wantsFolder ? "folder" : "file"}, got ${path}`);
    const bar = new ProgressBar(`import ${kind}`, !values.quiet);
    const report = await withDatabase(ctx, async (db) => {
      switch (kind) {
        case "lastfm-2k":
          return importLastfm(db, path, bar.callback);
        case "events":
          return importEvents(db, path, bar.callback);
        case "texts":
          return importTextsJsonl(db, path, bar.callback);
        default:
          return importAudioFolder(db, path, bar.callback);
      }
    });
    bar.done("finished");
    emit(ctx, Boolean(values.json), report, () => summary(report));
    return 0;
  },
};

/** --queue: an IMPORT job for any worker (checked now, run there with its progress on the job record). */
async function queueImport(kind: string, path: string, values: Record<string, string | boolean | undefined>, ctx: CommandContext): Promise<number> {
  const user =
    typeof values.user === "string"
      ? {
          externalKey: values.user.trim(),
          ...(typeof values["user-name"] === "string" ? { name: values["user-name"] } : {}),
          ...(typeof values["time-zone"] === "string" ? { timeZone: values["time-zone"] } : {}),
        }
      : undefined;
  const job = await withDatabase(ctx, async (db) => {
    try {
      return await startImport(db, kind, path, user);
    } catch (error) {
      if (error instanceof ServiceError) throw new UsageError(error.message);
      throw error;
    } finally {
      await closeJobQueue(db);
    }
  });
  emit(ctx, Boolean(values.json), { jobId: job.id, status: job.status }, () => `queued import ${kind} of ${path} as job ${job.id}`);
  return 0;
}

/**
 * A listener's history: each file is its own all-or-nothing import, in name order; the first
 * bad file stops the run (the files before it stay imported, and re-running skips them).
 */
async function importHistory(format: HistoryFormat, path: string, values: Record<string, string | boolean | undefined>, ctx: CommandContext): Promise<number> {
  if (typeof values.user !== "string" || values.user.trim() === "")
    throw new UsageError(`import ${format} needs --user <key>: the listener the history belongs to (created when new)`);
  const timeZone = typeof values["time-zone"] === "string" ? values["time-zone"] : undefined;
  if (timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone });
    } catch {
      throw new UsageError(`--time-zone must be an IANA time zone, got '${timeZone}'`);
    }
  }
  const user = { externalKey: values.user.trim(), name: typeof values["user-name"] === "string" ? values["user-name"] : undefined, timeZone };
  const { files, ignored } = await historyFiles(path, format);
  if (files.length === 0) throw new UsageError(`no ${format} history files in ${path}`);
  const reports = await withDatabase(ctx, async (db) => {
    const out: ImportReport[] = [];
    for (const [i, file] of files.entries()) {
      const bar = new ProgressBar(`import ${format} ${i + 1}/${files.length}`, !values.quiet);
      out.push(await HISTORY[format](db, file, { user, onProgress: bar.callback }));
      bar.done(basename(file));
    }
    return out;
  });
  emit(ctx, Boolean(values.json), { files: reports, ignoredFiles: ignored }, () =>
    [...reports.map(summary), ...(ignored.length ? [`not song plays, not read: ${ignored.map((f) => basename(f)).join(", ")}`] : [])].join("\n"),
  );
  return 0;
}
