import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { analysePendingTracks } from "@deepcuts/engine/audio/analyse-tracks.ts";
import { synthesizeDemoAudio } from "@deepcuts/engine/audio/synthesize.ts";
import { importAudioFolder } from "@deepcuts/engine/importers/audio-folder.ts";
import { parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

export const analyseCommand: Command = {
  name: "analyse",
  aliases: ["analyze"],
  summary: "audio analysis: one file's features (no database), a folder (imported, then analysed), or all pending tracks",
  usage: "deepcuts analyse <file> | <folder> | all [--redo] [--json] [--quiet]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, { redo: { type: "boolean" }, json: { type: "boolean" }, quiet: { type: "boolean" } });
    const target = positionals[0];
    if (!target) throw new UsageError("name a file, a folder, or 'all'");
    if (target !== "all") {
      const path = resolve(target);
      if (!existsSync(path)) throw new UsageError(`${path} does not exist`);
      if (statSync(path).isFile()) {
        const { analyseFile } = await import("@deepcuts/models/audio");
        const analysis = await analyseFile(path);
        const { melSpectrogram, beats, ...features } = analysis;
        const summary = {
          path,
          ...features,
          beats: beats.length,
          firstBeats: beats.slice(0, 8),
          melSpectrogram: melSpectrogram ? { bands: melSpectrogram.bands, frames: melSpectrogram.frames } : null,
        };
        emit(
          ctx,
          Boolean(values.json),
          summary,
          () =>
            `${path}\n  tempo ${features.tempo.bpm.toFixed(1)} BPM (confidence ${features.tempo.confidence.toFixed(2)}), key ${features.key} ${features.mode} (strength ${features.keyStrength.toFixed(2)})\n` +
            `  loudness ${features.loudness.integratedLufs.toFixed(1)} LUFS, danceability ${features.danceability.toFixed(2)}, onsets ${features.onsetRate.toFixed(2)}/s, ${beats.length} beats`,
        );
        return 0;
      }
    }
    const bar = new ProgressBar("analyse", !values.quiet);
    const report = await withDatabase(ctx, async (db) => {
      if (target === "all") await synthesizeDemoAudio(db, ctx.config.database.home, { onProgress: bar.callback });
      else await importAudioFolder(db, resolve(target), bar.callback);
      return analysePendingTracks(db, ctx.config.database.home, { threads: ctx.config.threads, redo: Boolean(values.redo), onProgress: bar.callback });
    });
    bar.done(`${report.analysed} analysed, ${report.failed} failed`);
    emit(ctx, Boolean(values.json), report, () =>
      [
        `analysed ${report.analysed} track(s), ${report.failed} failed, in ${report.seconds.toFixed(1)} s`,
        ...report.errors.slice(0, 20).map((e) => `  track ${e.trackId} (${e.path}): ${e.error}`),
      ].join("\n"),
    );
    return 0;
  },
};
