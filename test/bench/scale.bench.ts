// npm run bench:scale [-- --listeners N] [--shard N] [--workers 1,2]
// Weekly generation on deepcuts-worker processes over PostgreSQL: the same demo world (default
// 10,000 listeners) generated for one week by 1 worker process, then for the next week by 2,
// each run fanned out into listener-range shards. Prints listeners/s per worker count and the
// ratio, the mean and spread of a shard's time, and the job queue's own overhead (enqueue,
// time to take a queued shard). Workers are started and warmed (models loaded) before timing.
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startWeeklyGeneration } from "@deepcuts/engine/curation/work.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { createTestDatabase } from "../support/databases.ts";
import { startWorkerProcess, type WorkerProcess } from "../support/workers.ts";

const { values } = parseArgs({
  options: { listeners: { type: "string", default: "10000" }, shard: { type: "string", default: "250" }, workers: { type: "string", default: "1,2" } },
});
const listeners = Number(values.listeners);
const shardSize = Number(values.shard);
const counts = String(values.workers).split(",").map(Number);
const quiet = { callback: () => {}, done: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL = ["SUCCEEDED", "FAILED", "CANCELLED", "DEAD_LETTER"];

console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}; PostgreSQL`);
const t = await createTestDatabase("postgres");
try {
  let started = Date.now();
  const world = generateWorld({ scale: "default", listeners, events: listeners * 20, seed: 11 });
  await loadDemoWorld(t.db, world);
  console.log(
    `world: ${world.users.length} listeners, ${world.tracks.length} tracks, ${world.eventCount} events; loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  started = Date.now();
  await trainModels(t.db, ["popularity", "als", "text"], { threads: cpus().length, skipWithoutData: true, progress: () => quiet });
  console.log(`trained popularity + ALS + text in ${((Date.now() - started) / 1000).toFixed(1)} s; shards of ${shardSize} listeners`);

  const rates: number[] = [];
  let week = new Date("2027-01-06T12:00:00Z");
  for (const n of counts) {
    const workers: WorkerProcess[] = await Promise.all(Array.from({ length: n }, () => startWorkerProcess(t.url!, { DEEPCUTS_THREADS: "1" })));
    try {
      // Warm-up: a tiny run loads each worker's models (a run's first shard on a worker pays that once).
      const warm = await startWeeklyGeneration(t.db, { now: new Date(week.getTime() - 7 * 86_400_000), shardSize: Math.ceil(listeners / (4 * n)) });
      while (!FINAL.includes((await getJob(t.db, warm.id)).status)) await sleep(200);
      const from = Date.now();
      const run = await startWeeklyGeneration(t.db, { now: week, shardSize });
      const enqueued = Date.now() - from;
      let job = await getJob(t.db, run.id);
      while (!FINAL.includes(job.status)) {
        await sleep(100);
        job = await getJob(t.db, run.id);
      }
      const seconds = (Date.now() - from) / 1000;
      if (job.status !== "SUCCEEDED") throw new Error(`run ${run.id} ended ${job.status}: ${job.message}`);
      const shards = await t.db.query<{ s: number; wait: number; n: number }>(
        `SELECT extract(epoch FROM finished_at - started_at)::float8 AS s, extract(epoch FROM started_at - created_at)::float8 AS wait, total AS n FROM jobs WHERE parent_id = $1`,
        [run.id],
      );
      const per = shards.map((x) => x.s).sort((a, b) => a - b);
      const mean = per.reduce((a, b) => a + b, 0) / per.length;
      const rate = job.done / seconds;
      rates.push(rate);
      console.log(
        `${n} worker process${n > 1 ? "es" : ""}: ${job.done} playlists in ${seconds.toFixed(1)} s = ${rate.toFixed(0)} listeners/s; ` +
          `${shards.length} shards, a shard (${shardSize} listeners) took mean ${mean.toFixed(2)} s (min ${per[0].toFixed(2)}, max ${per.at(-1)!.toFixed(2)}) = ${(shardSize / mean).toFixed(0)} listeners/s per process; ` +
          `run queued in ${enqueued} ms`,
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    week = new Date(week.getTime() + 14 * 86_400_000);
  }
  if (rates.length >= 2) console.log(`ratio ${counts.at(-1)} : ${counts[0]} worker processes = ${(rates.at(-1)! / rates[0]).toFixed(2)}`);
} finally {
  await closeJobQueue(t.db);
  await t.drop();
}
