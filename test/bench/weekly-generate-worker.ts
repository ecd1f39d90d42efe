// Worker for bench:weekly: generates the weekly playlists of one listener id range (as one
// pg-boss shard worker process would), with its own database connection, model state and scorer.
import { parentPort, workerData } from "node:worker_threads";
import { openPostgres } from "@deepcuts/db";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";

const { url, now, from, to, batchSize } = workerData as { url: string; now: string; from: number; to: number; batchSize: number };
const db = await openPostgres(url);
try {
  const report = await generateDuePlaylists(db, { now: new Date(now), idRange: { from, to }, batchSize });
  parentPort!.postMessage(report);
} finally {
  await db.close();
}
