// npm run bench:ingest [-- --target embedded|postgres|both] [--events N] [--full] [--keep]
// Bulk listening-event import speed (raw multi-row INSERT ... unnest, not createMany), on the
// embedded database and on PostgreSQL, and with --full the time to load the whole benchmark
// world (100,000 listeners, 50,000 tracks, 10 million events). --keep leaves the PostgreSQL
// database in place and prints its URL, for `npm run bench:weekly -- --database-url <url>`.
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { createTestDatabase, postgresUnavailable, type Target } from "../support/databases.ts";

const { values } = parseArgs({
  options: { target: { type: "string", default: "both" }, events: { type: "string", default: "1000000" }, full: { type: "boolean" }, keep: { type: "boolean" } },
});
const targets: Target[] = values.target === "both" ? ["embedded", "postgres"] : [values.target as Target];
const events = values.full ? undefined : Number(values.events);

console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}`);
for (const target of targets) {
  if (target === "postgres" && (await postgresUnavailable())) {
    console.log(`postgres: skipped (${await postgresUnavailable()})`);
    continue;
  }
  const world = values.full
    ? generateWorld({ scale: "benchmark" })
    : generateWorld({ scale: "benchmark", events, listeners: Math.min(100_000, Math.max(1000, Math.round(events! / 100))) });
  const t = await createTestDatabase(target);
  try {
    const started = process.hrtime.bigint();
    let last = 0;
    const report = await loadDemoWorld(t.db, world, (message, done, total) => {
      if (done - last >= total / 10 || done === total) {
        last = done;
        process.stderr.write(`  ${target}: ${message} ${done}/${total}\n`);
      }
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rss = process.memoryUsage().rss / 2 ** 20;
    console.log(
      `${target}: ${report.events.toLocaleString("en")} events, ${report.listeners.toLocaleString("en")} listeners, ${report.tracks.toLocaleString("en")} tracks ` +
        `loaded in ${seconds.toFixed(1)} s: ${Math.round(report.events / seconds).toLocaleString("en")} events/s overall (incl. catalogue, texts and aggregates); peak RSS ${rss.toFixed(0)} MiB`,
    );
  } finally {
    if (values.keep && t.url) {
      await t.db.close();
      console.log(`${target}: kept the loaded database at ${t.url}`);
    } else {
      await t.drop();
    }
  }
}
