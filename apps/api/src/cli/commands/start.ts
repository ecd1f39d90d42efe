import { migrate, openDatabase } from "@deepcuts/db";
import { generateWorld } from "@deepcuts/demo";
import { catalogueCounts } from "@deepcuts/engine/catalogue-stats.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { ensureLocalCuratorKey } from "@deepcuts/engine/local-curator-key.ts";
import { DEFAULT_MODELS, modelKindOf, trainModels } from "@deepcuts/engine/training/train.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { buildDashboard, dashboardIsBuilt } from "../../runtime/dashboard.ts";
import { serveProduct, untilSignal } from "../../runtime/serve.ts";
import { parse } from "../args.ts";
import type { Command } from "../command.ts";
import { ProgressBar } from "../progress.ts";
import { readyLine } from "../server-events.ts";

export const startCommand: Command = {
  name: "start",
  summary: "the whole product in one go (npm start): migrate, load the demo world if empty, train, make this week's playlists, serve",
  usage:
    "deepcuts start [--no-dashboard] [--no-serve] [--quiet] [--json]   (--json: progress bars and logs stay on stderr; stdout gets one JSON line " +
    "when ready, with the curator key, and one when stopped)",
  async run(argv, ctx) {
    const started = Date.now();
    const { values } = parse(
      argv,
      { "no-dashboard": { type: "boolean" }, "no-serve": { type: "boolean" }, quiet: { type: "boolean" }, json: { type: "boolean" } },
      false,
    );
    const withDashboard = !values["no-dashboard"] && !values["no-serve"];
    const quiet = Boolean(values.quiet);
    // The dashboard builds in a child process while the database work goes on here.
    const dashboardBuild = withDashboard && !dashboardIsBuilt() ? buildDashboard() : undefined;
    if (dashboardBuild) ctx.err("building the dashboard in the background (first start only)...");
    dashboardBuild?.catch(() => {});

    const db = await openDatabase({ config: ctx.config.database, command: "deepcuts start" });
    let curatorKey: string;
    try {
      const migrated = await migrate(db);
      if (migrated.applied.length) ctx.err(`database ${db.location}: applied ${migrated.applied.join(", ")}`);
      const counts = await catalogueCounts(db);
      if (counts.tracks === 0 && counts.artists === 0 && counts.listeners === 0) {
        const bar = new ProgressBar("demo world", !quiet);
        const report = await loadDemoWorld(db, generateWorld({ scale: "default" }), bar.callback);
        bar.done(`${report.listeners} listeners, ${report.tracks} tracks, ${report.events} events`);
      }
      const active = await db.prisma.modelVersion.findMany({ where: { isActive: true }, select: { kind: true } });
      const missing = DEFAULT_MODELS.filter((m) => !active.some((a) => a.kind === modelKindOf(m)));
      if (missing.length)
        await trainModels(db, missing, { threads: ctx.config.threads, skipWithoutData: true, progress: (name) => new ProgressBar(`train ${name}`, !quiet) });
      const bar = new ProgressBar("weekly playlists", !quiet);
      const generated = await generateDuePlaylists(db, { onProgress: bar.callback });
      bar.done(`${generated.made} made, ${generated.alreadyMade} already made this week`);
      curatorKey = await ensureLocalCuratorKey(db, ctx.config.database.home);
    } finally {
      await db.close();
    }
    if (values["no-serve"]) {
      ctx.out(
        values.json ? JSON.stringify({ event: "ready", serving: false, curatorKey, readyInMs: Date.now() - started }) : `ready. curator key: ${curatorKey}`,
      );
      return 0;
    }
    const product = await serveProduct(ctx.config, { dashboard: withDashboard, background: true, log: ctx.err, dashboardBuild });
    if (values.json) {
      ctx.out(readyLine(product, started, { curatorKey }));
      await untilSignal();
      ctx.err("stopping...");
      await product.stop();
      ctx.out(JSON.stringify({ event: "stopped" }));
      return 0;
    }
    ctx.out("");
    ctx.out(`  ready in ${Math.round((Date.now() - started) / 1000)} s`);
    ctx.out(`  GraphQL API:  ${product.apiUrl}`);
    if (product.dashboardUrl) ctx.out(`  Dashboard:    ${product.dashboardUrl}`);
    ctx.out(`  Curator key:  ${curatorKey}`);
    ctx.out("");
    ctx.out("press Ctrl+C to stop");
    await untilSignal();
    ctx.err("stopping...");
    await product.stop();
    return 0;
  },
};
