// npm run bench:weekly -- --history-lengths 100,300,1000,3000 --database-url <url> [--sample 500]
// What one listener's playlist costs as their history grows. The benchmark world's listeners have
// played 29 tracks (median; 231 at the 99th percentile); people who import years of scrobbles have
// played thousands. A sample of the world's listeners (a database loaded and trained, e.g. by
// `bench:weekly -- --listeners 10000 --events 1000000 --keep`) is scored again with each history
// filled up to N distinct tracks (their own first, then catalogue tracks drawn by a seeded
// generator, each played 1-5 times), through the batch scorer the weekly run uses, on this thread,
// with no database writes; the CPU time a listener takes is printed with the scorer's split.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { openPostgres } from "@deepcuts/db";
import { seededRandom } from "@deepcuts/models/core";
import { defaultBlendConstraints, defaultBlendWeights, type ListenerHistory, type ModelState } from "@deepcuts/models/blend";
import { loadModelState } from "@deepcuts/engine/weekly/load-model-state.ts";
import { loadHistories } from "@deepcuts/engine/weekly/histories.ts";
import { pickForListeners, type BatchTimings } from "@deepcuts/engine/weekly/batch.ts";

const { values } = parseArgs({
  options: {
    "history-lengths": { type: "string" },
    "database-url": { type: "string" },
    sample: { type: "string", default: "500" },
  },
});
const lengths = (values["history-lengths"] ?? "").split(",").map((s) => Number(s.trim()));
if (lengths.some((n) => !Number.isInteger(n) || n < 1))
  throw new RangeError(`--history-lengths must be positive whole numbers separated by commas, got '${values["history-lengths"]}'`);
const sample = Number(values.sample);
if (!Number.isInteger(sample) || sample < 1) throw new RangeError(`--sample must be a positive whole number, got '${values.sample}'`);
const url = values["database-url"];
if (url === undefined) throw new RangeError("--history-lengths needs --database-url <url> of a world already loaded and trained (bench:weekly -- --keep)");

/** The listener's history with heard tracks added until it holds `length` distinct ones (never fewer than it had). */
function filledTo(history: ListenerHistory, length: number, state: ModelState, seed: number): ListenerHistory {
  const heard = new Map(history.heard);
  const random = seededRandom(seed);
  const n = state.trackIds.length;
  while (heard.size < Math.min(length, n)) {
    const trackId = state.trackIds[Math.floor(random() * n)];
    if (!heard.has(trackId)) heard.set(trackId, 1 + Math.floor(random() * 5));
  }
  return { ...history, heard };
}

console.log(
  `machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}; ${url}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
const db = await openPostgres(url);
try {
  const state = await loadModelState(db);
  const ids = (await db.query<{ id: number }>(`SELECT id FROM users ORDER BY md5(id::text) LIMIT $1`, [sample])).map((r) => r.id);
  const loaded = await loadHistories(db, ids);
  const own = ids.map((id) => loaded.get(id)!);
  const sizes = own.map((h) => h.heard.size).sort((a, b) => a - b);
  console.log(
    `history lengths: ${ids.length} listeners, their own histories ${sizes[0]}-${sizes[sizes.length - 1]} tracks (median ${sizes[Math.floor(sizes.length / 2)]}); ` +
      `each filled up to N tracks, scored by pickForListeners on this thread (no writes)`,
  );
  // Once before timing: the scorer's setup (joint matrix, sessions) and the code's first compilation.
  await pickForListeners(state, own.slice(0, 50), defaultBlendWeights, defaultBlendConstraints);
  for (const length of [0, ...lengths]) {
    const histories = length === 0 ? own : own.map((h) => filledTo(h, length, state, h.userId));
    const timings: BatchTimings = { setup: 0, scoring: 0, selection: 0, blendAndMmr: 0 };
    const cpu = process.cpuUsage();
    const from = performance.now();
    for (let i = 0; i < histories.length; i += 500)
      await pickForListeners(state, histories.slice(i, i + 500), defaultBlendWeights, defaultBlendConstraints, { timings });
    const used = process.cpuUsage(cpu);
    const ms = (seconds: number) => ((seconds * 1000) / histories.length).toFixed(2);
    console.log(
      `  ${length === 0 ? "their own histories" : `N = ${length}`}: ${ms((used.user + used.system) / 1e6)} ms of CPU a listener (${ms((performance.now() - from) / 1000)} ms wall); ` +
        `scoring ${ms(timings.scoring)}, selection ${ms(timings.selection)}, blend and MMR ${ms(timings.blendAndMmr)} ms`,
    );
  }
} finally {
  await db.close();
}
