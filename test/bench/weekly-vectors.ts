// npm run bench:weekly -- --vectors-only [--tracks 50000] [--listeners 2048] [--k 100] [--large 1000000]
//   [--sizes 50000,200000,1000000] [--ef-construction 128] [--skip-ann-compare] [--rounds 5]
// Scoring and retrieval on synthetic vectors, no database. In one run:
// 1. the bound: onnxruntime MatMul + ReduceMax on (M x 64) x (64 x N), one thread, interleaved
//    with the product's exhaustive scorer (fused top-k), and their ratio; then listeners/s of the
//    scorer on 2 worker threads;
// 2. the project's HNSW against usearch on the same vectors: build time, recall, queries/s;
// 3. two-stage retrieval (candidates per model from the ANN index, blend on candidates only):
//    listeners/s and overlap@30 against exhaustive blended scoring, from 50k to 1M tracks.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { gaussian, seededRandom, type DenseMatrix } from "@deepcuts/models/core";
import { HnswIndex } from "@deepcuts/models/ann";
import { blendCandidates, createTopKScorer, innerProductAsCosine, loadOnnxRuntime, matMulBound, ScoreMoments } from "@deepcuts/models/score";
import { createRequire } from "node:module";

// usearch's ES module looks for its prebuilt binary relative to the caller's stack and misses it
// under tsx; its CommonJS entry finds it by __dirname.
const { Index, MetricKind, ScalarKind } = createRequire(import.meta.url)("usearch") as typeof import("usearch");

const { values } = parseArgs({
  options: {
    "vectors-only": { type: "boolean" },
    tracks: { type: "string", default: "50000" },
    listeners: { type: "string", default: "2048" },
    k: { type: "string", default: "100" },
    large: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "5" },
    "ann-listeners": { type: "string", default: "500" },
    "skip-ann-compare": { type: "boolean" },
    sizes: { type: "string" },
    "ef-construction": { type: "string", default: "128" },
  },
});
const N = Number(values.tracks),
  M = Number(values.listeners),
  K = Number(values.k),
  LARGE = Number(values.large);
// Two-stage catalogue sizes (--sizes 50000,1000000 picks some; building a 1M-track index takes
// tens of minutes on a loaded machine) and the indexes' build effort.
const SIZES = values.sizes ? values.sizes.split(",").map(Number) : [50_000, 200_000, LARGE];
const EF_CONSTRUCTION = Number(values["ef-construction"]);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const ms = (from: number) => performance.now() - from;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Trained-embedding-like vectors: cluster centres with gaussian spread and varied lengths. */
function catalogue(n: number, dim: number, seed: number, clusters = 2000): DenseMatrix {
  const random = seededRandom(seed);
  const centres = Float32Array.from({ length: clusters * dim }, () => gaussian(random));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * clusters),
      scale = Math.exp(0.3 * gaussian(random));
    for (let j = 0; j < dim; j++) data[i * dim + j] = scale * (centres[c * dim + j] + 0.7 * gaussian(random));
  }
  return { rows: n, cols: dim, data };
}

/** Listener vectors: the mean of 20 tracks they "played" plus noise (the same tracks for every model). */
function listeners(m: number, seed: number, ...models: DenseMatrix[]): DenseMatrix[] {
  const random = seededRandom(seed);
  const out = models.map((y) => ({ rows: m, cols: y.cols, data: new Float32Array(m * y.cols) }));
  for (let u = 0; u < m; u++) {
    for (let h = 0; h < 20; h++) {
      const i = Math.floor(random() * models[0].rows);
      models.forEach((y, s) => {
        for (let j = 0; j < y.cols; j++) out[s].data[u * y.cols + j] += y.data[i * y.cols + j] / 20;
      });
    }
    for (const q of out) for (let j = 0; j < q.cols; j++) q.data[u * q.cols + j] += 0.1 * gaussian(random);
  }
  return out;
}

console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}; load average ${load()}`);
const ort = await loadOnnxRuntime();
if (!ort) throw new Error("onnxruntime-node does not load here: the vectors-only bench measures it");

// ---- 1. Exhaustive scoring against the bound -------------------------------------------------
{
  const items = catalogue(N, 64, 1);
  const [queries] = listeners(M, 2, items);
  // The bound at two listener blocks (128, the scorer's, and 256); each round keeps the faster.
  const bounds = [await matMulBound(ort, items, { listenerBlock: 128 }), await matMulBound(ort, items, { listenerBlock: 256 })];
  const scorer = await createTopKScorer(items, { backend: "native" });
  const flop = 2 * M * N * 64;
  for (const bound of bounds) await bound.run(queries);
  await scorer.topK({ queries, k: K });
  const b: number[] = [],
    s: number[] = [],
    ratios: number[] = [];
  let rescanned = 0;
  for (let r = 0; r < Number(values.rounds); r++) {
    let best = Infinity;
    for (const bound of bounds) {
      const t = performance.now();
      await bound.run(queries);
      best = Math.min(best, ms(t));
    }
    b.push(best);
    const t = performance.now();
    rescanned += (await scorer.topK({ queries, k: K })).rescanned;
    s.push(ms(t));
    ratios.push(b[r] / s[r]);
  }
  console.log(`scoring shape (${M} x 64) x (64 x ${N}), one thread, ${values.rounds} interleaved rounds (median); load average ${load()}:`);
  console.log(
    `  bound: onnxruntime MatMul + ReduceMax (the faster of 128- and 256-row blocks each round) ${median(b).toFixed(1)} ms = ${(flop / median(b) / 1e6).toFixed(1)} GFLOP/s`,
  );
  console.log(
    `  product: exhaustive scorer, top-${K} fused ${median(s).toFixed(1)} ms = ${(flop / median(s) / 1e6).toFixed(1)} GFLOP/s, ${((M / median(s)) * 1000).toFixed(0)} listeners/s; rescanned ${rescanned} of ${M * Number(values.rounds)} listener-runs`,
  );
  console.log(
    `  ratio product / bound: ${(median(ratios) * 100).toFixed(0)}% (median of per-round ratios; best round ${(Math.max(...ratios) * 100).toFixed(0)}%)`,
  );
  for (const k of [30, 500]) {
    const t: number[] = [];
    for (let r = 0; r < 3; r++) {
      const from = performance.now();
      await scorer.topK({ queries, k });
      t.push(ms(from));
    }
    console.log(`  product with top-${k}: ${median(t).toFixed(1)} ms = ${(flop / median(t) / 1e6).toFixed(1)} GFLOP/s`);
  }
  await scorer.dispose();
  for (const bound of bounds) await bound.dispose();

  // Two worker threads, one scorer each (intraOpNumThreads 1), listeners split in halves.
  const big = listeners(8 * M, 3, items)[0];
  const sharedItems = new SharedArrayBuffer(items.data.byteLength),
    sharedQueries = new SharedArrayBuffer(big.data.byteLength);
  new Float32Array(sharedItems).set(items.data);
  new Float32Array(sharedQueries).set(big.data);
  for (const threads of [1, 2]) {
    const per = Math.ceil(big.rows / threads);
    const workers = Array.from(
      { length: threads },
      (_, w) =>
        new Worker(new URL("./score-worker.mjs", import.meta.url), {
          workerData: { items: sharedItems, rows: N, cols: 64, queries: sharedQueries, from: w * per, to: Math.min(big.rows, (w + 1) * per), k: K },
        }),
    );
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
    const started = performance.now();
    const done = await Promise.all(
      workers.map(
        (w) =>
          new Promise<{ ms: number }>((resolve) => {
            w.once("message", resolve);
            w.postMessage("go");
          }),
      ),
    );
    const wall = ms(started);
    await Promise.all(workers.map((w) => w.terminate()));
    console.log(
      `  ${threads} thread${threads > 1 ? "s" : ""} (worker_threads, one onnxruntime session each): ${big.rows} listeners in ${(wall / 1000).toFixed(2)} s = ${((big.rows / wall) * 1000).toFixed(0)} listeners/s (top-${K}, ${N} tracks; slowest worker ${Math.max(...done.map((d) => d.ms)).toFixed(0)} ms); load average ${load()}`,
    );
  }
}

// ---- 2 and 3. Two-stage retrieval ---------------------------------------------------------------
// Two models (collaborative 64-d, cultural 32-d), blended as weight * z-score per listener.
const weights = [1, 0.5];
const annListeners = Number(values["ann-listeners"]);

/** Per catalogue size: exhaustive ms per listener, and per candidate count of the joint index its overlap@30 and ms per listener. */
const growth: { n: number; exhaustiveMs: number; joint: { count: number; overlap: number; ms: number }[] }[] = [];

async function twoStage(n: number, candidateCounts: number[], compareOurs: boolean, perModelToo: boolean) {
  const models = [catalogue(n, 64, 11), catalogue(n, 32, 12, 500)];
  const queries = listeners(annListeners, 13, ...models);
  const moments = models.map((y) => new ScoreMoments(y));
  // Exhaustive truth: the blend is linear, so one product over the concatenated vectors.
  const dim = 96;
  const joint = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    joint.set(models[0].data.subarray(i * 64, i * 64 + 64), i * dim);
    joint.set(models[1].data.subarray(i * 32, i * 32 + 32), i * dim + 64);
  }
  const scales = queries[0].data.length
    ? Array.from({ length: annListeners }, (_, u) =>
        models.map((_, s) => weights[s] / moments[s].of(queries[s].data.subarray(u * models[s].cols, (u + 1) * models[s].cols)).std),
      )
    : [];
  const jq = new Float32Array(annListeners * dim);
  for (let u = 0; u < annListeners; u++)
    for (let s = 0; s < 2; s++) {
      const c = models[s].cols,
        off = s ? 64 : 0;
      for (let j = 0; j < c; j++) jq[u * dim + off + j] = scales[u][s] * queries[s].data[u * c + j];
    }
  let t = performance.now();
  const exact = await createTopKScorer({ rows: n, cols: dim, data: joint }, { backend: "native" });
  const setupMs = ms(t);
  t = performance.now();
  const truth = await exact.topK({ queries: { rows: annListeners, cols: dim, data: jq }, k: 30 });
  const exhaustiveMs = ms(t);
  await exact.dispose();

  // Stage one: candidates from approximate inner-product search. Per model (each model's own
  // top), and on the joint vectors, whose inner product with the listener's scaled joint query
  // is the blended score itself.
  const queryVec = (s: number, u: number) => queries[s].data.slice(u * models[s].cols, (u + 1) * models[s].cols);
  const augmentedQuery = (s: number, u: number) => {
    const c = models[s].cols;
    const v = new Float32Array(c + 1);
    v.set(queries[s].data.subarray(u * c, (u + 1) * c));
    return v;
  };
  const jointQuery = (u: number) => jq.slice(u * dim, (u + 1) * dim);
  const build = (a: DenseMatrix) => {
    const index = new Index({
      dimensions: a.cols,
      metric: MetricKind.IP,
      connectivity: 16,
      expansion_add: EF_CONSTRUCTION,
      expansion_search: 64,
      quantization: ScalarKind.F32,
      multi: false,
    });
    index.add(
      BigUint64Array.from({ length: a.rows }, (_, i) => BigInt(i)),
      a.data,
      2,
    );
    return index;
  };
  const ids = (keys: BigUint64Array) => Int32Array.from(keys, (key) => Number(key));
  t = performance.now();
  const jointIndex = build({ rows: n, cols: dim, data: joint });
  const jointBuild = ms(t);
  t = performance.now();
  const perModel = perModelToo ? models.map((y) => build(y)) : [];
  const perModelBuild = ms(t);
  const lines: string[] = [];
  const jointResults: { count: number; overlap: number; ms: number }[] = [];
  const sourcesOf = (u: number) => models.map((y, s) => ({ items: y, query: queries[s].data.subarray(u * y.cols, (u + 1) * y.cols), scale: scales[u][s] }));
  for (const [label, counts] of [
    ["joint index", candidateCounts],
    ["per model", perModelToo ? candidateCounts.slice(0, 2) : []],
  ] as const) {
    for (const count of counts) {
      let overlap = 0;
      const started = performance.now();
      for (let u = 0; u < annListeners; u++) {
        const candidates =
          label === "joint index"
            ? ids(jointIndex.search(jointQuery(u), count, 1).keys)
            : [...ids(perModel[0].search(queryVec(0, u), count, 1).keys), ...ids(perModel[1].search(queryVec(1, u), count, 1).keys)];
        const got = new Set(blendCandidates(sourcesOf(u), candidates, 30).ids);
        for (let j = 0; j < 30; j++) if (got.has(truth.items[u * 30 + j])) overlap++;
      }
      const perListener = ms(started) / annListeners;
      if (label === "joint index") jointResults.push({ count, overlap: overlap / (30 * annListeners), ms: perListener });
      lines.push(
        `    ${label}, ${count} candidates${label === "per model" ? " per model" : ""}: overlap@30 ${(overlap / (30 * annListeners)).toFixed(3)}, ${(1000 / perListener).toFixed(0)} listeners/s (${perListener.toFixed(2)} ms each, one thread)`,
      );
    }
  }
  console.log(
    `${n} tracks: exhaustive blended top-30 (96 dims, native, one thread) ${(exhaustiveMs / annListeners).toFixed(2)} ms per listener (+${(setupMs / 1000).toFixed(1)} s to build its sessions); usearch build on 2 threads: joint index ${(jointBuild / 1000).toFixed(1)} s${perModelToo ? `, per-model indexes ${(perModelBuild / 1000).toFixed(1)} s` : ""}; load average ${load()}`,
  );
  console.log(lines.join("\n"));
  growth.push({ n, exhaustiveMs: exhaustiveMs / annListeners, joint: jointResults });
  const augmented = [innerProductAsCosine(models[0])];

  if (compareOurs) {
    // The same vectors (the collaborative model), our HNSW against usearch, recall@100 vs exact.
    const a = augmented[0];
    t = performance.now();
    const ours = new HnswIndex(
      { ids: Int32Array.from({ length: a.rows }, (_, i) => i), dim: a.cols, data: a.data },
      { m: 16, efConstruction: 128, efSearch: 128 },
    );
    const oursBuild = ms(t);
    t = performance.now();
    const one = new Index({
      dimensions: a.cols,
      metric: MetricKind.Cos,
      connectivity: 16,
      expansion_add: 128,
      expansion_search: 128,
      quantization: ScalarKind.F32,
      multi: false,
    });
    one.add(
      BigUint64Array.from({ length: a.rows }, (_, i) => BigInt(i)),
      a.data,
      1,
    );
    const oneBuild = ms(t);
    const exact = await createTopKScorer(a, { backend: "native" });
    const probe = 200,
      k = 100;
    const pq = new Float32Array(probe * a.cols);
    for (let u = 0; u < probe; u++) pq.set(augmentedQuery(0, u), u * a.cols);
    const gt = await exact.topK({ queries: { rows: probe, cols: a.cols, data: pq }, k });
    await exact.dispose();
    let hitsOurs = 0,
      hitsUs = 0;
    t = performance.now();
    const oursResults = Array.from({ length: probe }, (_, u) => ours.search(pq.subarray(u * a.cols, (u + 1) * a.cols), k).ids);
    const oursMs = ms(t);
    t = performance.now();
    const usResults = Array.from({ length: probe }, (_, u) => one.search(pq.subarray(u * a.cols, (u + 1) * a.cols), k, 1).keys);
    const usMs = ms(t);
    for (let u = 0; u < probe; u++) {
      const truthSet = new Set(gt.items.subarray(u * k, (u + 1) * k));
      for (const id of oursResults[u]) if (truthSet.has(id)) hitsOurs++;
      for (const key of usResults[u]) if (truthSet.has(Number(key))) hitsUs++;
    }
    console.log(
      `  ANN on the same ${n} x 65 vectors (M 16, ef construction 128, ef search 128, one thread, recall@100 of ${probe} listener queries vs exact):`,
    );
    console.log(
      `    project HNSW (TypeScript): build ${(oursBuild / 1000).toFixed(1)} s, recall ${(hitsOurs / (probe * k)).toFixed(3)}, ${((probe / oursMs) * 1000).toFixed(0)} queries/s`,
    );
    console.log(
      `    usearch 2.26.2:            build ${(oneBuild / 1000).toFixed(1)} s, recall ${(hitsUs / (probe * k)).toFixed(3)}, ${((probe / usMs) * 1000).toFixed(0)} queries/s`,
    );
  }
}

console.log(
  `two-stage retrieval: ${annListeners} listeners, 2 models blended (weights ${weights.join(", ")} on per-listener z-scores), usearch HNSW indexes with the inner-product metric (M 16, ef construction ${EF_CONSTRUCTION})`,
);
for (const n of SIZES) await twoStage(n, n >= 1_000_000 ? [200, 400, 800, 1600] : [200, 400, 800], n === 50_000 && !values["skip-ann-compare"], n === 50_000);

// The candidate count: the smallest that reaches overlap@30 >= 0.95 at every size measured.
const counts = [...new Set(growth.flatMap((g) => g.joint.map((j) => j.count)))].sort((a, b) => a - b);
const chosen = counts.find((c) => growth.every((g) => (g.joint.find((j) => j.count === c)?.overlap ?? 0) >= 0.95));
console.log(`two-stage cost per listener (joint index, one thread; exhaustive native blended top-30 beside it); load average ${load()}:`);
for (const g of growth) {
  const at = g.joint.find((j) => j.count === chosen) ?? g.joint.reduce((a, j) => (j.overlap > a.overlap ? j : a));
  console.log(
    `  ${g.n.toLocaleString("en")} tracks: ${at.count} candidates, overlap@30 ${at.overlap.toFixed(3)}, ${at.ms.toFixed(2)} ms per listener = ${(1000 / at.ms).toFixed(0)} listeners/s; exhaustive ${g.exhaustiveMs.toFixed(2)} ms`,
  );
}
if (growth.length > 1) {
  const first = growth[0],
    last = growth[growth.length - 1];
  const cost = (g: (typeof growth)[number]) => (g.joint.find((j) => j.count === chosen) ?? g.joint[g.joint.length - 1]).ms;
  console.log(
    `  catalogue x${(last.n / first.n).toFixed(0)}: two-stage cost x${(cost(last) / cost(first)).toFixed(2)} (sub-linear), exhaustive x${(last.exhaustiveMs / first.exhaustiveMs).toFixed(1)}; candidate count ${chosen ?? `none of ${counts.join(", ")} reached 0.95 everywhere`}`,
  );
}
