import { migrate, openDatabase, openPostgres, startEmbeddedServer, type Database, type EmbeddedServer } from "@deepcuts/db";
import type { AppConfig } from "../config.ts";
import { startApi, type RunningApi } from "../server.ts";
import { buildDashboard, dashboardIsBuilt, startDashboard, type RunningDashboard } from "./dashboard.ts";
import { WeeklyScheduler } from "./scheduler.ts";
import { runBackgroundWork } from "./background.ts";

export interface RunningProduct {
  db: Database;
  apiUrl: string;
  dashboardUrl: string | null;
  scheduler: WeeklyScheduler;
  stop(): Promise<void>;
}

/**
 * Brings up the serving side: the embedded database's socket server (unless DATABASE_URL
 * points at PostgreSQL), the GraphQL API, the weekly scheduler, and the dashboard.
 */
export async function serveProduct(config: AppConfig, options: { dashboard: boolean; background?: boolean; log: (line: string) => void; dashboardBuild?: Promise<void> }): Promise<RunningProduct> {
  let embedded: EmbeddedServer | null = null;
  let db: Database;
  if (config.database.databaseUrl) {
    db = await openDatabase({ config: config.database });
  } else {
    embedded = await startEmbeddedServer(config.database.home);
    db = await openPostgres(embedded.url, "embedded-server", config.database.home, 4);
  }
  const stops: (() => Promise<void>)[] = [];
  try {
    await migrate(db);
    const api: RunningApi = await startApi(db, config.apiPort, { cursorSecret: config.cursorSecret, threads: config.threads });
    stops.push(api.stop);
    const scheduler = new WeeklyScheduler(db);
    scheduler.start();
    stops.push(() => scheduler.stop());
    let dashboard: RunningDashboard | null = null;
    if (options.dashboard) {
      if (options.dashboardBuild) await options.dashboardBuild;
      else if (!dashboardIsBuilt()) {
        options.log("building the dashboard (first start only)...");
        await buildDashboard();
      }
      dashboard = await startDashboard(config.dashboardPort, api.url);
      stops.push(dashboard.stop);
    }
    // Audio synthesis, analysis and the audio model go on in the background with visible progress.
    const background = new AbortController();
    const backgroundDone = options.background ? runBackgroundWork(db, config, options.log, background.signal) : Promise.resolve();
    stops.unshift(async () => {
      background.abort();
      await backgroundDone;
    });
    return {
      db,
      apiUrl: api.url,
      dashboardUrl: dashboard?.url ?? null,
      scheduler,
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => {});
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await db.close();
    await embedded?.stop();
    throw error;
  }
}

/** Resolves on SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}
