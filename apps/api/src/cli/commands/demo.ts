import { generateWorld, WORLD_SCALES } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

export const demoCommand: Command = {
  name: "demo",
  summary: "generate the seeded demo world (genres, artists, tracks, texts, listeners, a year of events) and load it",
  usage: "deepcuts demo [--scale default|benchmark] [--listeners N] [--artists N] [--tracks N] [--events N] [--seed N] [--json] [--quiet]",
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      {
        scale: { type: "string", default: "default" },
        listeners: { type: "string" },
        artists: { type: "string" },
        tracks: { type: "string" },
        events: { type: "string" },
        seed: { type: "string" },
        json: { type: "boolean" },
        quiet: { type: "boolean" },
      },
      false,
    );
    const scale = String(values.scale);
    if (!(scale in WORLD_SCALES)) throw new UsageError(`--scale must be default or benchmark, got '${scale}'`);
    const count = (name: "listeners" | "artists" | "tracks" | "events") =>
      values[name] === undefined ? undefined : numberFlag(values[name], name, 0, { min: 0, max: 2_000_000_000, integer: true });
    const world = generateWorld({
      scale: scale as "default" | "benchmark",
      seed: values.seed === undefined ? 42 : numberFlag(values.seed, "seed", 42, { integer: true }),
      listeners: count("listeners"),
      artists: count("artists"),
      tracks: count("tracks"),
      events: count("events"),
    });
    const bar = new ProgressBar("demo", !values.quiet);
    const report = await withDatabase(ctx, (db) => loadDemoWorld(db, world, bar.callback));
    bar.done("loaded");
    emit(
      ctx,
      Boolean(values.json),
      report,
      () =>
        `demo world: ${report.listeners} listeners, ${report.artists} artists, ${report.tracks} tracks, ${report.documents} new texts, ${report.articles} new articles (${report.mentions} artist mentions), ${report.events} new events in ${report.seconds.toFixed(1)} s`,
    );
    return 0;
  },
};
