// npm run bench:api [-- --target postgres|embedded --listeners N --tracks N --events N --seconds S --concurrency C --rounds R --hnsw-rows N --scenarios bare,health,weekly,weekly-cached,similar]
// Requests per second and latency percentiles of the GraphQL API for the weekly playlist query
// (run for every request, and read again within its max-age from the API's response cache) and
// for similar tracks, beside a bare Apollo server answering a constant (the ceiling) in the
// same run. The load runs in a worker thread so client and server each get a core. The
// scenarios run in turn `rounds` times, so a noisy neighbour shows up as round-to-round spread;
// each round prints weeklyPlaylist's share of the bare server's req/s, and each row the load
// average it ran under. The npm script runs it with NODE_ENV=production, as the API is deployed.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { float32ToBytes, type Database } from "@deepcuts/db";
import { generateWorld } from "@deepcuts/demo";
import { gaussian, seededRandom } from "@deepcuts/models/core";
import { ExactIndex, HnswIndex, measureRecall } from "../../packages/models/src/ann/index.ts";
import { startApi } from "../../apps/api/src/server.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { createTestDatabase, type Target } from "../support/databases.ts";
import { cpuSeconds } from "../support/cpu.ts";
import type { LoadJob, LoadResult } from "./api-load-worker.ts";

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "postgres" },
    listeners: { type: "string", default: "2000" },
    artists: { type: "string", default: "300" },
    tracks: { type: "string", default: "5000" },
    events: { type: "string", default: "100000" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    "hnsw-rows": { type: "string", default: "50000" },
    rounds: { type: "string", default: "2" },
    scenarios: { type: "string", default: "bare,health,weekly,weekly-cached,similar" },
  },
});
const SCENARIOS = ["bare", "health", "weekly", "weekly-cached", "similar"];
const wanted = values.scenarios.split(",").map((x) => x.trim());
const unknown = wanted.filter((w) => !SCENARIOS.includes(w));
if (unknown.length) throw new Error(`--scenarios takes ${SCENARIOS.join(", ")}; got '${unknown.join("', '")}'`);
const durationMs = Number(values.seconds) * 1000;
const concurrency = Number(values.concurrency);
const DIM = 64;

function load(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./api-load-worker.mjs", import.meta.url), { workerData: job });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

function figures(r: LoadResult): Figures & { at: (p: number) => number; count: number } {
  const sorted = Float64Array.from(r.latenciesMs).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { rps: sorted.length / (r.elapsedMs / 1000), p50: at(0.5), p99: at(0.99), at, count: sorted.length };
}

const load1 = () => loadavg()[0].toFixed(1);

/** CPU ms of a process or thread (cpuSeconds; null where /proc cannot tell). */
function cpuMs(path: string, command?: string): number | null {
  const seconds = cpuSeconds(path, command);
  return seconds === null ? null : seconds * 1000;
}

/** The API's main thread (the load runs in a worker thread) and the database's backends serving this bench. */
async function cpuSnapshot(db: Database): Promise<{ api: number | null; backends: Map<number, number | null> }> {
  const pids =
    db.target === "postgres"
      ? await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
      : [];
  return { api: cpuMs(`/proc/${process.pid}/task/${process.pid}`), backends: new Map(pids.map(({ pid }) => [pid, cpuMs(`/proc/${pid}`, "postgres")])) };
}

/** CPU ms per request between two snapshots: API thread, and database backends ("-" when not measurable here). */
function cpuPerRequest(before: Awaited<ReturnType<typeof cpuSnapshot>>, after: Awaited<ReturnType<typeof cpuSnapshot>>, requests: number): [string, string] {
  const api = before.api !== null && after.api !== null ? ((after.api - before.api) / requests).toFixed(2) : "-";
  // A backend that is gone by the time /proc is read was closed idle (the pool drops idle
  // connections): it adds nothing. None readable at all: the server runs elsewhere.
  let backends = 0;
  let measurable = false;
  for (const [pid, ms] of after.backends) {
    if (ms === null) continue;
    measurable = true;
    backends += ms - (before.backends.get(pid) ?? 0);
  }
  return [api, measurable ? (backends / requests).toFixed(2) : "-"];
}

function report(name: string, r: LoadResult, load: string, cpu: [string, string]): string {
  const f = figures(r);
  return `| ${name} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(1)} | ${f.at(0.9).toFixed(1)} | ${f.p99.toFixed(1)} | ${f.at(1).toFixed(1)} | ${f.count} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ""} | ${((100 * r.fromCache) / Math.max(1, f.count)).toFixed(0)}% | ${cpu[0]} | ${cpu[1]} | ${(100 * r.busy).toFixed(0)}% | ${load} |`;
}

/** 64-d vectors in 50 gaussian clusters, the shape trained embeddings have. */
function clusteredVectors(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const centres = Float32Array.from({ length: 50 * DIM }, () => gaussian(random));
  const data = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * 50);
    for (let j = 0; j < DIM; j++) data[i * DIM + j] = centres[c * DIM + j] + 0.7 * gaussian(random);
  }
  return data;
}

console.log(
  `machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}, NODE_ENV=${process.env.NODE_ENV ?? "(unset)"}; target ${values.target}; ${concurrency} concurrent clients, ${values.seconds} s per scenario; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const world = generateWorld({
  listeners: Number(values.listeners),
  artists: Number(values.artists),
  tracks: Number(values.tracks),
  events: Number(values.events),
});
console.log(`world: ${world.users.length} listeners, ${world.tracks.length} tracks, ${world.eventCount} events`);
const t = await createTestDatabase(values.target as Target);
const bare = new ApolloServer({ typeDefs: `type Query { hello: String! }`, resolvers: { Query: { hello: () => "world" } } });
try {
  await loadDemoWorld(t.db, world);
  const made = await generateDuePlaylists(t.db, { now: new Date() });
  // Collaborative vectors for every track (synthetic: training is benchmarked elsewhere).
  const trackIds = (await t.db.query<{ id: number }>(`SELECT id FROM tracks ORDER BY id`)).map((r) => r.id);
  const vectors = clusteredVectors(trackIds.length, 5);
  const [version] = await t.db.query<{ id: number }>(
    `INSERT INTO model_versions (kind, status, is_active, params) VALUES ('ALS', 'READY', true, '{"synthetic": true}') RETURNING id`,
  );
  await t.db.query(
    `INSERT INTO vectors (model_version_id, entity_kind, entity_id, data) SELECT $1, 'TRACK', e, d FROM unnest($2::int[], $3::bytea[]) AS x(e, d)`,
    [version.id, trackIds, trackIds.map((_, i) => Buffer.from(float32ToBytes(vectors.subarray(i * DIM, (i + 1) * DIM))))],
  );
  const userIds = (await t.db.query<{ user_id: number }>(`SELECT user_id FROM weekly_playlists ORDER BY user_id`)).map((r) => r.user_id);
  const [items] = await t.db.query<{ n: number }>(`SELECT round(avg(c))::int AS n FROM (SELECT count(*) AS c FROM playlist_items GROUP BY playlist_id) x`);
  console.log(`${made.made} playlists (about ${items.n} items each), ${trackIds.length} track vectors of ${DIM} dims`);

  const curator = (await createApiKey(t.db, { name: "bench", role: "CURATOR" })).key;
  const api = await startApi(t.db, 0);
  const { url: bareUrl } = await startStandaloneServer(bare, { listen: { port: 0, host: "127.0.0.1" } });
  const random = seededRandom(9);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
  const playlistQuery = `query($u:Int!){ weeklyPlaylist(userId:$u){ weekStart totalDurationMs items{ position reason durationMs track{ title durationMs artist{ name } } } } }`;
  const similarQuery = `query($t:Int!){ similarTracks(trackId:$t, model:COLLABORATIVE, first:10){ score track{ title artist{ name } } } }`;
  const weeklyBodies = Array.from({ length: 500 }, () => body(playlistQuery, { u: pick(userIds) }));
  const all: [string, string, LoadJob][] = [
    ["bare", "bare Apollo, constant `{ hello }`", { url: bareUrl, key: null, bodies: [body(`{ hello }`, {})], concurrency, durationMs }],
    ["health", "Deepcuts `{ health { ok } }` (no key)", { url: api.url, key: null, bodies: [body(`{ health { ok } }`, {})], concurrency, durationMs }],
    [
      "weekly",
      "weeklyPlaylist (30 items + track + artist), run each time",
      { url: api.url, key: curator, headers: { "cache-control": "no-cache" }, bodies: weeklyBodies, concurrency, durationMs },
    ],
    [
      "weekly-cached",
      "weeklyPlaylist, the same 500 read again within their max-age",
      { url: api.url, key: curator, bodies: weeklyBodies, concurrency, durationMs },
    ],
    [
      "similar",
      "similarTracks COLLABORATIVE first:10",
      { url: api.url, key: curator, bodies: Array.from({ length: 500 }, () => body(similarQuery, { t: pick(trackIds) })), concurrency, durationMs },
    ],
  ];
  const scenarios = all.filter(([id]) => wanted.includes(id));
  // A second of each first, so the index is built, caches are warm and every server's code is
  // compiled before anything is timed (the bare server included: cold, it loses its first round).
  for (const [, , job] of scenarios) await load({ ...job, durationMs: 1000 });
  const lines = [
    "| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors | from cache | API thread CPU ms/req | PostgreSQL CPU ms/req | load thread busy | load (1 min) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const shares: string[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    const measured = new Map<string, Figures>();
    for (const [id, name, job] of scenarios) {
      const before = await cpuSnapshot(t.db);
      const result = await load(job);
      const cpu = cpuPerRequest(before, await cpuSnapshot(t.db), result.latenciesMs.length);
      measured.set(id, figures(result));
      lines.push(report(`${name} (round ${round})`, result, load1(), cpu));
      console.log(lines[lines.length - 1]);
    }
    const ceiling = measured.get("bare");
    for (const [id, what] of [
      ["weekly", "weeklyPlaylist run each time"],
      ["weekly-cached", "weeklyPlaylist read again (response cache)"],
    ]) {
      const weekly = measured.get(id);
      if (!weekly || !ceiling) continue;
      shares.push(
        `round ${round}: ${what} ${weekly.rps.toFixed(0)} req/s (p50 ${weekly.p50.toFixed(1)} ms, p99 ${weekly.p99.toFixed(1)} ms) = ` +
          `${((100 * weekly.rps) / ceiling.rps).toFixed(0)}% of bare Apollo's ${ceiling.rps.toFixed(0)} req/s (p50 ${ceiling.p50.toFixed(1)} ms, p99 ${ceiling.p99.toFixed(1)} ms), ` +
          `${concurrency} clients; load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
      );
      console.log(shares[shares.length - 1]);
    }
  }
  console.log(["", ...lines, "", ...shares].join("\n"));
  await api.stop();

  // The index behind similarTracks at catalogue scale: HNSW build time, query time and recall.
  const n = Number(values["hnsw-rows"]);
  const set = { ids: Int32Array.from({ length: n }, (_, i) => i + 1), dim: DIM, data: clusteredVectors(n, 6) };
  let from = performance.now();
  const hnsw = new HnswIndex(set, { m: 16, efConstruction: 100, efSearch: 64 });
  const buildS = (performance.now() - from) / 1000;
  const exact = new ExactIndex(set);
  const queries = 500;
  const qs = Array.from({ length: queries }, (_, i) => set.data.subarray(((i * 97) % n) * DIM, (((i * 97) % n) + 1) * DIM));
  from = performance.now();
  for (const q of qs) hnsw.search(q, 10);
  const hnswMs = (performance.now() - from) / queries;
  from = performance.now();
  for (const q of qs) exact.search(q, 10);
  const exactMs = (performance.now() - from) / queries;
  const recall = measureRecall(hnsw, exact, { k: 10, queries: 300 });
  console.log(
    `\nHNSW over ${n} x ${DIM} clustered vectors (M 16, efConstruction 100, efSearch 64): build ${buildS.toFixed(1)} s, ` +
      `query ${hnswMs.toFixed(3)} ms vs exact scan ${exactMs.toFixed(3)} ms (${(exactMs / hnswMs).toFixed(1)}x), recall@10 ${recall.recall.toFixed(3)} over ${recall.queries} queries`,
  );
} finally {
  await bare.stop();
  await t.drop();
}
