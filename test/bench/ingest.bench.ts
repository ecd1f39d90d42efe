// npm run bench:ingest [-- --target embedded|postgres|both] [--events N] [--world] [--full] [--keep]
// Default: writes a CSV of N listening events (default 1,000,000; N/100 listeners up to 100,000,
// 50,000 tracks) and imports it with `importEvents` (streamed parse, COPY by key into staging
// tables, set-based merges that create the new catalogue and the aggregates), each target in a child process of its own so its
// peak RSS is its own; then imports the same file again and checks that it adds nothing.
// Prints events/s (raw events, merge included), peak RSS and the load average; then the bound
// the schema sets (the same merge over rows with their ids resolved, no parsing or COPY) and the
// import's rate as a share of it.
// --world: the older measure, loading a generated demo world (catalogue, texts, events) with
// loadDemoWorld; --full (implies --world) loads the whole 10-million-event world, --keep (implies --world) leaves the PostgreSQL
// database in place and prints its URL, for `npm run bench:weekly -- --database-url <url>`.
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { importEvents } from "@deepcuts/engine/importers/csv-events.ts";
import { mergeEventsSql } from "@deepcuts/engine/ingest.ts";
import { MERGE_WORK_MEM } from "@deepcuts/engine/ingest-bulk.ts";
import { MERGE_EVERY } from "@deepcuts/engine/importers/event-batches.ts";
import type { Database } from "@deepcuts/db";
import { createTestDatabase, migratedTemplate, postgresUnavailable, type Target } from "../support/databases.ts";
import { cpuSeconds, postgresServerCpuSeconds } from "../support/cpu.ts";

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "both" },
    events: { type: "string", default: "1000000" },
    world: { type: "boolean" },
    full: { type: "boolean" },
    keep: { type: "boolean" },
    file: { type: "string" },
  },
});
const worldMode = Boolean(values.world || values.full || values.keep);
const targets: Target[] = values.target === "both" ? ["embedded", "postgres"] : [values.target as Target];
const events = Number(values.events);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
/** Events the bound is measured on (databaseBound). */
const BOUND_EVENTS = 1_000_000;
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

/** N events as CSV, written as a stream; a seeded generator, so the same N gives the same file. */
async function writeEventsFile(path: string, n: number): Promise<void> {
  const listeners = Math.min(100_000, Math.max(1000, Math.round(n / 100)));
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out = createWriteStream(path);
  out.write("event_id,user,kind,track,artist,occurred_at,ms_played\n");
  const start = Date.UTC(2026, 0, 1);
  let chunk = "";
  for (let i = 0; i < n; i++) {
    const track = Math.floor(random() ** 2 * 50_000);
    const skip = random() < 0.2;
    const at = new Date(start + Math.floor(random() * 300 * 86_400_000)).toISOString();
    chunk += `e${i},listener-${Math.floor(random() * listeners)},${skip ? "skip" : "stream"},track-${track},artist-${track % 5000},${at},${skip ? 12_000 : 180_000}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

/**
 * CPU seconds used so far by this database's server processes (PostgreSQL on this machine, read
 * from /proc; 0 where that is not readable). Wall time on a shared machine says little; CPU
 * time says what the import costs whatever else runs.
 */
async function databaseCpuSeconds(db: Database, pids: Set<number>): Promise<number> {
  for (const r of await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)) pids.add(r.pid);
  let seconds = 0;
  // A process that has ended adds nothing (its time is lost), nor one /proc does not show us.
  for (const pid of pids) seconds += cpuSeconds(`/proc/${pid}`, "postgres") ?? 0;
  return seconds;
}

/** Imports the file, measuring wall time and the CPU time of this process and of the database server. */
async function timedImport(target: Target, db: Database, path: string) {
  const pids = new Set<number>();
  const dbBefore = target === "postgres" ? await databaseCpuSeconds(db, pids) : 0;
  const serverBefore = await postgresServerCpuSeconds(db);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const report = await importEvents(db, path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const dbCpu = target === "postgres" ? (await databaseCpuSeconds(db, pids)) - dbBefore : 0;
  const serverAfter = await postgresServerCpuSeconds(db);
  // The whole server: its backends, and the WAL writer, checkpointer and autovacuum the import keeps busy.
  const serverCpu = serverBefore !== null && serverAfter !== null ? serverAfter - serverBefore : null;
  return { report, seconds, nodeCpu: (cpu.user + cpu.system) / 1e6, dbCpu, serverCpu };
}

/** One target in this process: import the file, then import it again. */
async function importFile(target: Target, path: string): Promise<void> {
  const t = await createTestDatabase(target);
  try {
    const loadBefore = load();
    const { report: first, seconds, nodeCpu, dbCpu, serverCpu } = await timedImport(target, t.db, path);
    const stored = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events`))[0].n;
    const { report: second, seconds: secondsAgain } = await timedImport(target, t.db, path);
    const storedAfter = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events`))[0].n;
    const read = first.created.events + (first.skipped?.alreadyRecordedEvents ?? 0);
    console.log(
      `${target}: ${read.toLocaleString("en")} events imported in ${seconds.toFixed(1)} s = ${Math.round(read / seconds).toLocaleString("en")} events/s ` +
        `(${first.created.events.toLocaleString("en")} stored, ${first.created.tracks} tracks created; merge and aggregates included); ` +
        `re-import ${secondsAgain.toFixed(1)} s added ${second.created.events} events (${storedAfter === stored ? "unchanged" : `CHANGED: ${stored} -> ${storedAfter}`}); ` +
        `peak RSS ${peakRssMiB().toFixed(0)} MiB; load average ${loadBefore} before, ${load()} after`,
    );
    // With the reader and the database on different cores the import approaches events / (busier side's CPU);
    // with no overlap at all it is events / (both sides' CPU).
    const side =
      target === "postgres"
        ? `this process ${nodeCpu.toFixed(1)} s, PostgreSQL server ${dbCpu.toFixed(1)} s` +
          (serverCpu === null ? "" : ` (its backends for this database; all its processes ${serverCpu.toFixed(1)} s)`)
        : `this process (PGlite included) ${nodeCpu.toFixed(1)} s`;
    console.log(
      `${target}: CPU time ${side}: ${Math.round(read / Math.max(nodeCpu, dbCpu)).toLocaleString("en")} events per CPU-second of the busier side, ` +
        `${Math.round(read / (nodeCpu + dbCpu)).toLocaleString("en")} per CPU-second of both`,
    );
    if (second.created.events !== 0 || storedAfter !== stored) process.exitCode = 1;
    await databaseBound(target, t.db, stored, read / seconds);
  } finally {
    await t.drop();
  }
}

/**
 * The bound this schema sets, measured on the events just imported (which it then deletes): the
 * same merge statement (mergeEventsSql) over rows whose ids are already resolved, from an ordinary
 * table instead of a COPY, in batches of MERGE_EVERY with the import's work_mem, into emptied
 * listening_events and aggregates; and, alone, storing the events with the table's indexes and
 * its (user, event id) check, no aggregates. No parsing, no COPY, no keys to look up, no catalogue
 * to create: what the database spends per event on the writes any import of these rows must make.
 */
async function databaseBound(target: Target, db: Database, stored: number, importRate: number): Promise<void> {
  const columns = "user_id, event_id, kind, track_id, artist_id, occurred_at, ms_played, playlist_id, position";
  // At most BOUND_EVENTS of them: on the 10M file the bound alone would take about as long as the import.
  const n = Math.min(stored, BOUND_EVENTS);
  await db.query(`CREATE TABLE bound_source AS SELECT row_number() OVER (ORDER BY id) AS n, ${columns} FROM listening_events ORDER BY id LIMIT ${n}`);
  await db.query(`CREATE INDEX ON bound_source (n)`);
  await db.query(`CREATE TABLE bound_events (LIKE listening_events INCLUDING ALL)`);
  await db.query(`TRUNCATE listening_events, user_track_stats, user_artist_stats`);
  const timed = async (run: () => Promise<void>) => {
    // The server's processes on PostgreSQL; this process, PGlite included, embedded.
    const pids = new Set<number>();
    const cpu = async () => {
      if (target === "postgres") return databaseCpuSeconds(db, pids);
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    };
    const before = await cpu();
    const started = process.hrtime.bigint();
    await run();
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, server: (await cpu()) - before };
  };
  const batches = async (statement: (from: number, to: number) => string) => {
    for (let from = 0; from < n; from += MERGE_EVERY)
      await db.transaction(async (query) => {
        if (target === "postgres") await query(`SET LOCAL work_mem = '${MERGE_WORK_MEM}'`);
        await query(statement(from, from + MERGE_EVERY));
      });
  };
  const merge = await timed(() =>
    batches((from, to) => mergeEventsSql(`(SELECT * FROM bound_source WHERE n > ${from} AND n <= ${to}) e`, { artistsResolved: true })),
  );
  const store = await timed(() =>
    batches(
      (from, to) =>
        `INSERT INTO bound_events (${columns}) SELECT ${columns} FROM bound_source WHERE n > ${from} AND n <= ${to}
         ORDER BY user_id, event_id ON CONFLICT (user_id, event_id) DO NOTHING`,
    ),
  );
  await db.query(`DROP TABLE bound_source, bound_events`);
  const side = target === "postgres" ? "server" : "PGlite and this process";
  const rate = (x: { seconds: number }) => Math.round(n / x.seconds).toLocaleString("en");
  console.log(
    `${target} bound on ${n.toLocaleString("en")} events (this schema's writes, ids resolved, no COPY): the merge and aggregates alone ${merge.seconds.toFixed(1)} s = ${rate(merge)} events/s ` +
      `(${side} ${merge.server.toFixed(1)} CPU-s); storing the events with their indexes alone, no aggregates, ${store.seconds.toFixed(1)} s = ${rate(store)} events/s ` +
      `(${side} ${store.server.toFixed(1)} CPU-s); load average ${load()}`,
  );
  if (n === stored) console.log(`${target}: the import ran at ${((100 * importRate * merge.seconds) / n).toFixed(0)}% of the merge's bound`);
  else
    console.log(
      `${target}: the bound covers the first ${n.toLocaleString("en")} events of ${stored.toLocaleString("en")} (into empty tables), so no share is printed`,
    );
}

async function loadWorld(target: Target): Promise<void> {
  const world = values.full
    ? generateWorld({ scale: "benchmark" })
    : generateWorld({ scale: "benchmark", events, listeners: Math.min(100_000, Math.max(1000, Math.round(events / 100))) });
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
    console.log(
      `${target}: ${report.events.toLocaleString("en")} events, ${report.listeners.toLocaleString("en")} listeners, ${report.tracks.toLocaleString("en")} tracks ` +
        `loaded in ${seconds.toFixed(1)} s: ${Math.round(report.events / seconds).toLocaleString("en")} events/s overall (incl. catalogue, texts and aggregates); ` +
        `peak RSS ${peakRssMiB().toFixed(0)} MiB; load average ${load()}`,
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

if (values.file) {
  // A child run for one target (see below).
  await importFile(targets[0], values.file);
} else {
  console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}; load average ${load()}`);
  const dir = worldMode ? null : mkdtempSync(join(tmpdir(), "deepcuts-bench-ingest-"));
  try {
    const file = dir ? join(dir, "events.csv") : null;
    if (file) {
      const started = Date.now();
      await writeEventsFile(file, events);
      console.log(`wrote ${events.toLocaleString("en")} events to a CSV file in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    for (const target of targets) {
      const unavailable = target === "postgres" ? await postgresUnavailable() : null;
      if (unavailable) {
        console.log(`postgres: skipped (${unavailable})`);
        continue;
      }
      if (!file) await loadWorld(target);
      else {
        // The migrated template of embedded test databases is built here if it is missing: built in
        // the child (PGlite's initdb), it alone took that process's peak RSS to about 840 MiB.
        if (target === "embedded") await migratedTemplate();
        execFileSync(process.execPath, [...process.execArgv, process.argv[1], "--target", target, "--file", file], { stdio: "inherit" });
      }
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
