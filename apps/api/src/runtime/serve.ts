import { migrate, openDatabase, openPostgres, startEmbeddedServer, type Database, type EmbeddedServer } from "@deepcuts/db";
import { closeJobQueue, jobQueueFor } from "@deepcuts/engine/jobs/queue.ts";
import { reconcileJobs } from "@deepcuts/engine/jobs/reconcile.ts";
import { startDueGeneration, startWorker, type RunningWorker } from "@deepcuts/engine/jobs/worker.ts";
import type { AppConfig } from "../config.ts";
import { startApi, type RunningApi } from "../server.ts";
import { buildDashboard, dashboardIsBuilt, startDashboard, type RunningDashboard } from "./dashboard.ts";
import { queueBackgroundWork } from "./background.ts";

export interface RunningProduct {
  db: Database;
  apiUrl: string;
  dashboardUrl: string | null;
  /** The in-process worker (null with --no-worker). */
  worker: RunningWorker | null;
  stop(): Promise<void>;
}

/**
 * Brings up the serving side: the embedded database's socket server (unless DATABASE_URL
 * points at PostgreSQL), one in-process job worker (unless `worker: false`: an API-only
 * replica), the GraphQL API and the dashboard. Job records left RUNNING by a process that is
 * gone are reconciled before anything else starts.
 */
export async function serveProduct(
  config: AppConfig,
  options: { dashboard: boolean; worker?: boolean; background?: boolean; log: (line: string) => void; dashboardBuild?: Promise<void> },
): Promise<RunningProduct> {
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
    // The worker starts first: it runs pg-boss's supervisor and cron in this process.
    let worker: RunningWorker | null = null;
    if (options.worker ?? true) {
      worker = await startWorker(db, { threads: config.threads, home: config.database.home, log: options.log });
      stops.push(() => worker!.stop());
    } else {
      await reconcileJobs(db, await jobQueueFor(db));
      stops.push(() => closeJobQueue(db));
    }
    const api: RunningApi = await startApi(db, config.apiPort, { cursorSecret: config.cursorSecret, threads: config.threads });
    stops.push(() => api.stop());
    let dashboard: RunningDashboard | null = null;
    if (options.dashboard) {
      if (options.dashboardBuild) await options.dashboardBuild;
      else if (!dashboardIsBuilt()) {
        options.log("building the dashboard (first start only)...");
        await buildDashboard();
      }
      dashboard = await startDashboard(config.dashboardPort, api.url);
      stops.push(() => dashboard!.stop());
    }
    if (worker) {
      // Playlists that came due while nothing ran; later ones come from the weekly cron.
      await startDueGeneration(db, new Date()).catch((e: Error) => options.log(`weekly generation not queued: ${e.message}`));
    }
    // Audio synthesis, analysis and the audio model: a queued job, its progress on the console.
    const following = new AbortController();
    const followed = options.background ? queueBackgroundWork(db, options.log, following.signal) : Promise.resolve();
    stops.push(async () => {
      following.abort();
      await followed;
    });
    return {
      db,
      apiUrl: api.url,
      dashboardUrl: dashboard?.url ?? null,
      worker,
      async stop() {
        // Reverse order: stop following and serving first, the worker (which interrupts its jobs) last.
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
