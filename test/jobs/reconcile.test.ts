import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@deepcuts/db";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { createTestDatabase } from "../support/databases.ts";
import { cliBin } from "../support/workers.ts";
import { freePort } from "../support/ports.ts";

// Issue 27, item 6: a job must never stay RUNNING after its owner is gone. `deepcuts serve`
// (embedded database, one in-process worker) runs its background job (demo clips, audio
// analysis, audio model); it is stopped at each step (Ctrl+C or SIGKILL), including just
// after the job's last progress update, and after every restart no job is RUNNING unless its
// owner is the live server.
const quiet = { callback: () => {}, done: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  exited: Promise<void>;
  log(): string;
}

async function startServer(home: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [cliBin, "serve", "--no-dashboard"], {
    env: { ...process.env, DEEPCUTS_HOME: home, DEEPCUTS_API_PORT: String(port), DEEPCUTS_THREADS: "1", DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => /GraphQL API:/.test(log) && resolve());
    void exited.then(() => reject(new Error(`deepcuts serve exited before it was ready:\n${log}`)));
  });
  return { child, exited, log: () => log };
}

interface Row {
  id: number;
  status: string;
  owner: string | null;
  message: string;
  done: number;
  total: number;
}

const STEPS: { name: string; signal: NodeJS.Signals; when: (job: Row) => boolean }[] = [
  { name: "during the demo clips", signal: "SIGKILL", when: (j) => j.message.startsWith("demo audio:") && j.done > 0 },
  { name: "during the audio analysis", signal: "SIGINT", when: (j) => j.message.startsWith("audio analysis:") && j.done > 0 },
  { name: "during the audio model", signal: "SIGKILL", when: (j) => j.message.startsWith("audio model:") },
  { name: "just after the last progress update", signal: "SIGINT", when: (j) => j.message.startsWith("audio model:") && j.total > 0 && j.done >= j.total },
];

describe("job reconciliation after the server stops mid-job (embedded)", () => {
  it("after every restart no job is RUNNING without a live owner, and the interrupted job resumes to the end", async () => {
    const t = await createTestDatabase("embedded");
    await loadDemoWorld(t.db, generateWorld({ scale: "default", listeners: 150, artists: 12, tracks: 48, events: 6000, seed: 3 }));
    await trainModels(t.db, ["popularity", "als"], { threads: 1, progress: () => quiet });
    await t.db.close();
    const home = t.home!;
    const seen: string[] = [];
    try {
      for (const step of STEPS) {
        const server = await startServer(home);
        const db = await openDatabase({ config: { databaseUrl: null, home } });
        try {
          await expectNoOwnerlessRunning(db, server.child.pid!);
          // Follow the background job and stop the server at this step.
          const deadline = Date.now() + 120_000;
          let caught: Row | undefined;
          while (!caught && Date.now() < deadline) {
            const rows = await db.query<Row>(
              `SELECT id, status::text AS status, owner, message, done, total FROM jobs WHERE kind = 'ANALYSE' AND status = 'RUNNING'`,
            );
            caught = rows.find(step.when);
            if (!caught) await sleep(20);
          }
          expect(caught, `the background job reached the step '${step.name}'`).toBeDefined();
          server.child.kill(step.signal);
          seen.push(`${step.name}: ${step.signal} at ${caught!.done}/${caught!.total} (${caught!.message})`);
        } finally {
          await db.close();
        }
        await server.exited;
        // SIGKILL leaves the embedded database server to notice its parent is gone.
        await sleep(1500);
      }
      // The last restart: nothing ownerless, and the job runs on to its end.
      const server = await startServer(home);
      const db = await openDatabase({ config: { databaseUrl: null, home } });
      try {
        await expectNoOwnerlessRunning(db, server.child.pid!);
        const deadline = Date.now() + 180_000;
        let open = 1;
        while (open > 0 && Date.now() < deadline) {
          await sleep(500);
          [{ open }] = await db.query<{ open: number }>(
            `SELECT count(*)::int AS open FROM jobs WHERE kind = 'ANALYSE' AND status IN ('QUEUED', 'RUNNING', 'INTERRUPTED')`,
          );
        }
        const jobs = await db.query<{ status: string; attempts: number }>(
          `SELECT status::text AS status, attempts FROM jobs WHERE kind = 'ANALYSE' ORDER BY id`,
        );
        expect(jobs.some((j) => j.status === "SUCCEEDED")).toBe(true);
        expect(jobs.every((j) => j.status !== "RUNNING")).toBe(true);
        const [{ analysed }] = await db.query<{ analysed: number }>(`SELECT count(*)::int AS analysed FROM audio_analyses WHERE status = 'OK'`);
        expect(analysed).toBe(48);
        const [{ cnn }] = await db.query<{ cnn: number }>(`SELECT count(*)::int AS cnn FROM model_versions WHERE kind = 'AUDIO_CNN' AND is_active`);
        expect(cnn).toBe(1);
      } finally {
        await db.close();
        server.child.kill("SIGINT");
        await server.exited;
      }
      expect(seen).toHaveLength(STEPS.length);
      console.log(`stopped the server ${seen.join("; ")}`);
    } finally {
      await sleep(1000);
      await import("node:fs").then((fs) => fs.rmSync(home, { recursive: true, force: true }));
    }
  }, 600_000);
});

/** Every RUNNING job is owned by the live server `pid` (its in-process worker). */
async function expectNoOwnerlessRunning(db: Awaited<ReturnType<typeof openDatabase>>, pid: number): Promise<void> {
  const running = await db.query<{ id: number; owner: string | null }>(`SELECT id, owner FROM jobs WHERE status = 'RUNNING'`);
  for (const job of running) expect(job.owner === "shards" || job.owner?.endsWith(`:${pid}`), `job ${job.id} RUNNING owned by ${job.owner}`).toBe(true);
}
