import { tmpdir } from "node:os";
import { generateWorld, type DemoWorld } from "@deepcuts/demo";
import { startApi, type RunningApi } from "../../apps/api/src/server.ts";
import { buildDashboard, dashboardIsBuilt, startDashboard, type RunningDashboard } from "../../apps/api/src/runtime/dashboard.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { startWorker } from "@deepcuts/engine/jobs/worker.ts";
import { DEFAULT_MODELS, trainModels } from "@deepcuts/engine/training/train.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { freePort } from "../support/ports.ts";
import { inOneTimeZone } from "../support/worlds.ts";

/** A small trained demo world behind a real API and the built dashboard. */
export interface DemoStack {
  world: DemoWorld;
  database: TestDatabase;
  api: RunningApi;
  dashboard: RunningDashboard;
  curatorKey: string;
  adminKey: string;
  listenerKey: string;
  stop(): Promise<void>;
}

const noProgress = () => ({ callback() {}, done() {} });

export async function startDemoStack(): Promise<DemoStack> {
  // One time zone: the tests count this week's playlists as one week, whatever the hour (worlds.ts).
  const world = inOneTimeZone(generateWorld({ listeners: 50, artists: 20, tracks: 200, events: 5000 }));
  const database = await createTestDatabase("embedded");
  const { db } = database;
  await loadDemoWorld(db, world);
  await trainModels(db, DEFAULT_MODELS, { threads: 1, progress: noProgress });
  await generateDuePlaylists(db);
  const [listener] = await db.query<{ id: number }>(`SELECT id FROM users ORDER BY id LIMIT 1`);
  const curator = await createApiKey(db, { name: "browser test curator", role: "CURATOR" });
  const admin = await createApiKey(db, { name: "browser test admin", role: "ADMIN" });
  const listenerKey = await createApiKey(db, { name: "browser test listener", role: "LISTENER", userId: listener.id });
  const api = await startApi(db, 0);
  // One in-process job worker, as `deepcuts serve` runs (no weekly cron: the tests start runs themselves).
  const worker = await startWorker(db, { threads: 1, home: database.home ?? tmpdir(), schedule: false });
  // Building takes 45-90 s on two cores: only when no build exists yet.
  if (!dashboardIsBuilt()) await buildDashboard();
  const dashboard = await startDashboard(await freePort(), api.url);
  let apiStopped = false;
  return {
    world,
    database,
    api: {
      url: api.url,
      stop: async () => {
        if (!apiStopped) {
          apiStopped = true;
          await api.stop();
        }
      },
    },
    dashboard,
    curatorKey: curator.key,
    adminKey: admin.key,
    listenerKey: listenerKey.key,
    async stop() {
      await dashboard.stop();
      if (!apiStopped) await api.stop();
      await worker.stop();
      await database.drop();
    },
  };
}
