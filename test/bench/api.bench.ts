// npm run bench:api [-- --target postgres|embedded --listeners N --tracks N --events N --seconds S --concurrency C --rounds R --hnsw-rows N]
// Requests per second and latency percentiles of the GraphQL API for the weekly playlist query
// and for similar tracks, beside a bare Apollo server answering a constant (the ceiling) in the
// same run. The load runs in a worker thread so client and server each get a core. The
// scenarios run in turn `rounds` times, so a noisy neighbour shows up as round-to-round spread.
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { float32ToBytes } from "@deepcuts/db";
import { generateWorld } from "@deepcuts/demo";
import { gaussian, seededRandom } from "@deepcuts/models/core";
import { ExactIndex, HnswIndex, measureRecall } from "../../packages/models/src/ann/index.ts";
import { startApi } from "../../apps/api/src/server.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { createTestDatabase, type Target } from "../support/databases.ts";
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
  },
});
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

function report(name: string, r: LoadResult): string {
  const sorted = Float64Array.from(r.latenciesMs).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
  const rps = (sorted.length / (r.elapsedMs / 1000)).toFixed(0);
  return `| ${name} | ${rps} | ${at(0.5)} | ${at(0.9)} | ${at(0.99)} | ${sorted[sorted.length - 1].toFixed(1)} | ${sorted.length} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ""} |`;
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

console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}; target ${values.target}; ${concurrency} concurrent clients, ${values.seconds} s per scenario`);
const world = generateWorld({ listeners: Number(values.listeners), artists: Number(values.artists), tracks: Number(values.tracks), events: Number(values.events) });
console.log(`world: ${world.users.length} listeners, ${world.tracks.length} tracks, ${world.eventCount} events`);
const t = await createTestDatabase(values.target as Target);
const bare = new ApolloServer({ typeDefs: `type Query { hello: String! }`, resolvers: { Query: { hello: () => "world" } } });
try {
  await loadDemoWorld(t.db, world);
  const made = await generateDuePlaylists(t.db, { now: new Date() });
  // Collaborative vectors for every track (synthetic: training is benchmarked elsewhere).
  const trackIds = (await t.db.query<{ id: number }>(`SELECT id FROM tracks ORDER BY id`)).map((r) => r.id);
  const vectors = clusteredVectors(trackIds.length, 5);
  const [version] = await t.db.query<{ id: number }>(`INSERT INTO model_versions (kind, status, is_active, params) VALUES ('ALS', 'READY', true, '{"synthetic": true}') RETURNING id`);
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
  const scenarios: [string, LoadJob][] = [
    ["bare Apollo, constant `{ hello }`", { url: bareUrl, key: null, bodies: [body(`{ hello }`, {})], concurrency, durationMs }],
    ["Deepcuts `{ health { ok } }` (no key)", { url: api.url, key: null, bodies: [body(`{ health { ok } }`, {})], concurrency, durationMs }],
    ["weeklyPlaylist (30 items + track + artist)", { url: api.url, key: curator, bodies: Array.from({ length: 500 }, () => body(playlistQuery, { u: pick(userIds) })), concurrency, durationMs }],
    ["similarTracks COLLABORATIVE first:10", { url: api.url, key: curator, bodies: Array.from({ length: 500 }, () => body(similarQuery, { t: pick(trackIds) })), concurrency, durationMs }],
  ];
  // One request first so the index is built and caches are warm.
  await load({ ...scenarios[3][1], durationMs: 500, concurrency: 1 });
  await load({ ...scenarios[2][1], durationMs: 500, concurrency: 1 });
  const lines = ["| scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors |", "|---|---|---|---|---|---|---|---|"];
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const [name, job] of scenarios) {
      lines.push(report(`${name} (round ${round})`, await load(job)));
      console.log(lines[lines.length - 1]);
    }
  }
  console.log(["", ...lines].join("\n"));
  await api.stop();

  // The index behind similarTracks at catalogue scale: HNSW build time, query time and recall.
  const n = Number(values["hnsw-rows"]);
  const set = { ids: Int32Array.from({ length: n }, (_, i) => i + 1), dim: DIM, data: clusteredVectors(n, 6) };
  let from = performance.now();
  const hnsw = new HnswIndex(set, { m: 16, efConstruction: 100, efSearch: 64 });
  const buildS = (performance.now() - from) / 1000;
  const exact = new ExactIndex(set);
  const queries = 500;
  const qs = Array.from({ length: queries }, (_, i) => set.data.subarray(((i * 97) % n) * DIM, ((i * 97) % n + 1) * DIM));
  from = performance.now();
  for (const q of qs) hnsw.search(q, 10);
  const hnswMs = (performance.now() - from) / queries;
  from = performance.now();
  for (const q of qs) exact.search(q, 10);
  const exactMs = (performance.now() - from) / queries;
  const recall = measureRecall(hnsw, exact, { k: 10, queries: 300 });
  console.log(`\nHNSW over ${n} x ${DIM} clustered vectors (M 16, efConstruction 100, efSearch 64): build ${buildS.toFixed(1)} s, ` +
    `query ${hnswMs.toFixed(3)} ms vs exact scan ${exactMs.toFixed(3)} ms (${(exactMs / hnswMs).toFixed(1)}x), recall@10 ${recall.recall.toFixed(3)} over ${recall.queries} queries`);
} finally {
  await bare.stop();
  await t.drop();
}
