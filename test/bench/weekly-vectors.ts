// npm run bench:weekly -- --vectors-only [--tracks 50000] [--listeners 2048] [--k 100] [--large 1000000]
//   [--sizes 50000,200000,1000000] [--ef-construction 64] [--quantization f16] [--skip-ann-compare]
//   [--skip-variants] [--skip-exhaustive-bound] [--rounds 5]
// Scoring and retrieval on synthetic vectors, no database. In one run:
// 1. the bound: onnxruntime MatMul + ReduceMax on (M x 64) x (64 x N), one thread, interleaved
//    with the product's exhaustive scorer (fused top-k), and their ratio; then listeners/s of the
//    scorer on 2 worker threads;
// 2. the project's HNSW against usearch on the same vectors: build time, recall, queries/s;
// 3. two-stage retrieval through the product's BlendIndex (candidates from one HNSW graph on the
//    models' joint vectors, exact blend on the candidates only): overlap@30 and blended-score
//    recall against exhaustive blended scoring, CPU ms per listener, from 50k to 1M tracks; at
//    50k also f32 storage, the inner-product-to-cosine transform, and one index per model.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { gaussian, seededRandom, type DenseMatrix } from "@deepcuts/models/core";
import { HnswIndex } from "@deepcuts/models/ann";
import {
  BlendIndex,
  blendCandidates,
  createTopKScorer,
  innerProductAsCosine,
  jointItems,
  jointQuery,
  loadOnnxRuntime,
  matMulBound,
  ScoreMoments,
  type BlendSource,
} from "@deepcuts/models/score";
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
    "ef-construction": { type: "string", default: "64" },
    quantization: { type: "string", default: "f16" },
    "skip-variants": { type: "boolean" },
    "skip-exhaustive-bound": { type: "boolean" },
  },
});
const N = Number(values.tracks),
  M = Number(values.listeners),
  K = Number(values.k),
  LARGE = Number(values.large);
// Two-stage catalogue sizes (--sizes 50000,1000000 picks some; building a 1M-track index takes
// minutes, tens of them on a loaded machine) and the index's build effort and storage.
const SIZES = values.sizes ? values.sizes.split(",").map(Number) : [50_000, 200_000, LARGE];
const EF_CONSTRUCTION = Number(values["ef-construction"]);
const QUANTIZATION = values.quantization as "f32" | "f16" | "bf16";
if (!["f32", "f16", "bf16"].includes(QUANTIZATION)) throw new RangeError(`--quantization must be f32, f16 or bf16, got ${values.quantization}`);
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
if (!values["skip-exhaustive-bound"]) {
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
const indexOptions = { expansionAdd: EF_CONSTRUCTION, quantization: QUANTIZATION };

interface Measured {
  count: number;
  overlap: number;
  /** Blended z-score sum of the two-stage top-30 over that of the exhaustive top-30. */
  scoreRecall: number;
  ms: number;
  cpuMs: number;
}
/** Per catalogue size: the exhaustive product's cost per listener, and the joint index's figures per candidate count. */
const growth: { n: number; exhaustiveMs: number; exhaustiveCpuMs: number; buildS: number; joint: Measured[] }[] = [];
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

async function twoStage(n: number, candidateCounts: number[], compareOurs: boolean, variantsToo: boolean) {
  const models = [catalogue(n, 64, 11), catalogue(n, 32, 12, 500)];
  const queries = listeners(annListeners, 13, ...models);
  const moments = models.map((y) => new ScoreMoments(y));
  const scales = Array.from({ length: annListeners }, (_, u) =>
    models.map((y, s) => weights[s] / moments[s].of(queries[s].data.subarray(u * y.cols, (u + 1) * y.cols)).std),
  );
  const sourcesOf = (u: number): BlendSource[] =>
    models.map((y, s) => ({ items: y, query: queries[s].data.subarray(u * y.cols, (u + 1) * y.cols), scale: scales[u][s] }));
  // The per-listener constant between the blended score and the blend of z-scores: sum_s scale_s * mean_s.
  const offset = Array.from({ length: annListeners }, (_, u) => sourcesOf(u).reduce((a, src, s) => a + src.scale * moments[s].of(src.query).mean, 0));

  // Exhaustive truth: the blend is linear, so one product over the joint vectors (jointItems, jointQuery).
  const joint = jointItems(models);
  const jq = new Float32Array(annListeners * joint.cols);
  for (let u = 0; u < annListeners; u++) jointQuery(sourcesOf(u), jq.subarray(u * joint.cols, (u + 1) * joint.cols));
  let t = performance.now();
  const exact = await createTopKScorer(joint, { backend: "native" });
  const setupMs = ms(t);
  t = performance.now();
  const cpu = process.cpuUsage();
  const truth = await exact.topK({ queries: { rows: annListeners, cols: joint.cols, data: jq }, k: 30 });
  const exhaustiveMs = ms(t) / annListeners,
    exhaustiveCpuMs = cpuMs(cpu) / annListeners;
  await exact.dispose();
  let truthSum = 0;
  for (let u = 0; u < annListeners; u++) for (let j = 0; j < 30; j++) truthSum += truth.scores[u * 30 + j] - offset[u];

  /** Overlap@30, blended-score recall and cost per listener of `pick` (the product's two-stage call). */
  const measure = (count: number, pick: (u: number) => { ids: Int32Array; scores: Float32Array }): Measured => {
    let overlap = 0,
      gotSum = 0;
    const started = performance.now();
    const cpuFrom = process.cpuUsage();
    const picks = Array.from({ length: annListeners }, (_, u) => pick(u));
    const wall = ms(started),
      cpuSpent = cpuMs(cpuFrom);
    for (const [u, got] of picks.entries()) {
      const ids = new Set(got.ids);
      for (let j = 0; j < 30; j++) if (ids.has(truth.items[u * 30 + j])) overlap++;
      for (const s of got.scores) gotSum += s - offset[u];
    }
    return { count, overlap: overlap / (30 * annListeners), scoreRecall: gotSum / truthSum, ms: wall / annListeners, cpuMs: cpuSpent / annListeners };
  };
  const describe = (m: Measured) =>
    `overlap@30 ${m.overlap.toFixed(3)}, blended-score recall ${m.scoreRecall.toFixed(4)}, ${m.cpuMs.toFixed(2)} CPU ms per listener (${m.ms.toFixed(2)} ms wall = ${(1000 / m.ms).toFixed(0)} listeners/s, one thread)`;

  const index = BlendIndex.build(models, indexOptions);
  const lines: string[] = [];
  const jointResults = candidateCounts.map((count) => measure(count, (u) => index.topK(sourcesOf(u), count, 30)));
  for (const m of jointResults) lines.push(`    joint index, ${m.count} candidates: ${describe(m)}`);
  const variantBuilds: string[] = [];
  if (variantsToo) {
    // The same blend through other indexes: f32 storage, the inner-product-to-cosine transform,
    // and one index per model (each model's own top, merged).
    for (const [label, options] of [
      ["joint index, f32 storage", { ...indexOptions, quantization: "f32" }],
      ["joint index, inner product as cosine (augmented vectors)", { ...indexOptions, metric: "augmented-cosine" }],
    ] as const) {
      const other = BlendIndex.build(models, options);
      variantBuilds.push(`${label.slice(13)} ${(other.buildMs / 1000).toFixed(1)} s`);
      for (const count of candidateCounts)
        lines.push(`    ${label}, ${count} candidates: ${describe(measure(count, (u) => other.topK(sourcesOf(u), count, 30)))}`);
    }
    const perModel = models.map((y) => BlendIndex.build([y], indexOptions));
    variantBuilds.push(`per-model indexes ${(perModel.reduce((a, p) => a + p.buildMs, 0) / 1000).toFixed(1)} s`);
    for (const count of candidateCounts.slice(0, 2)) {
      const m = measure(count, (u) => {
        const sources = sourcesOf(u);
        const candidates = [...perModel[0].candidates([sources[0]], count), ...perModel[1].candidates([sources[1]], count)];
        return blendCandidates(sources, candidates, 30);
      });
      lines.push(`    per model, ${count} candidates per model: ${describe(m)}`);
    }
  }
  console.log(
    `${n} tracks: exhaustive blended top-30 (${joint.cols} dims, native, one thread) ${exhaustiveCpuMs.toFixed(2)} CPU ms per listener (${exhaustiveMs.toFixed(2)} ms wall; +${(setupMs / 1000).toFixed(1)} s to build its sessions); ` +
      `usearch build on 2 threads: joint index ${(index.buildMs / 1000).toFixed(1)} s${variantBuilds.length ? `, ${variantBuilds.join(", ")}` : ""}; load average ${load()}`,
  );
  console.log(lines.join("\n"));
  growth.push({ n, exhaustiveMs, exhaustiveCpuMs, buildS: index.buildMs / 1000, joint: jointResults });

  if (compareOurs) {
    // The same vectors (the collaborative model), our HNSW against usearch, recall@100 vs exact.
    const a = innerProductAsCosine(models[0]);
    const augmentedQuery = (u: number) => {
      const v = new Float32Array(a.cols);
      v.set(queries[0].data.subarray(u * models[0].cols, (u + 1) * models[0].cols));
      return v;
    };
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
    const exactAugmented = await createTopKScorer(a, { backend: "native" });
    const probe = 200,
      k = 100;
    const pq = new Float32Array(probe * a.cols);
    for (let u = 0; u < probe; u++) pq.set(augmentedQuery(u), u * a.cols);
    const gt = await exactAugmented.topK({ queries: { rows: probe, cols: a.cols, data: pq }, k });
    await exactAugmented.dispose();
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
  `two-stage retrieval: ${annListeners} listeners, 2 models blended (weights ${weights.join(", ")} on per-listener z-scores); the product's BlendIndex: ` +
    `one usearch HNSW on the joint vectors, inner-product metric, ${QUANTIZATION} storage (M 16, ef construction ${EF_CONSTRUCTION}, search expansion = candidate count), exact re-scoring of the candidates`,
);
// Candidate counts per size: the search's expansion equals the count, and a larger graph needs more.
const countsFor = (n: number) => (n <= 50_000 ? [200, 400, 800] : n <= 200_000 ? [400, 800, 1600] : [1600, 3200, 6400]);
for (const n of SIZES) await twoStage(n, countsFor(n), n === 50_000 && !values["skip-ann-compare"], n === 50_000 && !values["skip-variants"]);

// Per size, the smallest candidate count that reaches overlap@30 >= 0.95.
const chosen = growth.map((g) => g.joint.find((j) => j.overlap >= 0.95));
console.log(`two-stage cost per listener (joint index, one thread; exhaustive native blended top-30 beside it); load average ${load()}:`);
for (const [i, g] of growth.entries()) {
  const at = chosen[i];
  console.log(
    `  ${g.n.toLocaleString("en")} tracks: ${
      at
        ? `${at.count} candidates, overlap@30 ${at.overlap.toFixed(3)}, blended-score recall ${at.scoreRecall.toFixed(4)}, ${at.cpuMs.toFixed(2)} CPU ms (${at.ms.toFixed(2)} ms wall = ${(1000 / at.ms).toFixed(0)} listeners/s)`
        : `no candidate count of ${g.joint.map((j) => j.count).join(", ")} reached overlap@30 0.95`
    }; exhaustive ${g.exhaustiveCpuMs.toFixed(2)} CPU ms (${g.exhaustiveMs.toFixed(2)} wall); index build ${g.buildS.toFixed(1)} s`,
  );
}
if (growth.length > 1) {
  const first = growth[0],
    last = growth[growth.length - 1];
  const [a, b] = [chosen[0], chosen[chosen.length - 1]];
  const x = last.n / first.n;
  if (a && b) {
    const ratio = b.cpuMs / a.cpuMs;
    console.log(
      `  catalogue x${x.toFixed(0)}: two-stage CPU cost x${ratio.toFixed(2)} (wall x${(b.ms / a.ms).toFixed(2)}): ${ratio < x ? "sub-linear" : "NOT sub-linear"}; exhaustive CPU cost x${(last.exhaustiveCpuMs / first.exhaustiveCpuMs).toFixed(1)}; ` +
        `at ${last.n.toLocaleString("en")} two-stage ${b.cpuMs < last.exhaustiveCpuMs ? "costs less than" : "costs more than"} the exhaustive product (${b.cpuMs.toFixed(2)} vs ${last.exhaustiveCpuMs.toFixed(2)} CPU ms)`,
    );
  } else console.log(`  overlap@30 0.95 not reached at every size: no growth figure`);
}
