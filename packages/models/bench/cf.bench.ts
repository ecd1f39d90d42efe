// `npm run bench:cf`: ALS iteration time on a synthetic 20,000 x 10,000 matrix (800,000 plays,
// power-law popularity, 64 factors, CG) on 1 and 2 threads, GFLOP/s, and with --memory the peak
// RSS of training on 10 million plays. It also justifies the generated WebAssembly kernels
// (src/cf/wasm-cg.ts, wasm-simd.ts, wasm-dots.ts, wasm-spd.ts): each is timed in the same run
// against its alternatives, the CG solve against the typed-array CG (`simd: false`), the Gram and
// scores kernels against the typed-array loops and gpu.js, the weekly run's exact dot products
// against core/vector.ts's `dot`, EASE's inverse against its JavaScript loops, and the speed-up is
// printed.
// Flags: see `usage` (--help). docs/bench-cf.md is what the script printed, nothing else, so a run
// rewrites it without losing anything; what the figures mean and earlier runs are in docs/cf.md.
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ImplicitAls } from "../src/cf/als.ts";
import { GpuKernels } from "../src/cf/kernels-gpu.ts";
import type { CfKernels } from "../src/cf/kernels.ts";
import { cpuKernels, typedArrayKernels } from "../src/cf/kernels-cpu.ts";
import { confidenceMatrix } from "../src/cf/signals.ts";
import type { Csr } from "../src/core/matrix.ts";
import { seededRandom } from "../src/core/random.ts";
import { repositoryRoot } from "../src/datasets/shared-data.ts";
import { syntheticPlays } from "./synthetic.ts";
import { RowDots } from "../src/cf/wasm-dots.ts";
import { invertSpdInPlace } from "../src/cf/spd-inverse.ts";
import { spdMatrix, spdPlacement } from "../src/cf/wasm-spd.ts";
import { dot } from "../src/core/vector.ts";

const usage = `npm run bench:cf [-- flags]
  --iterations N   ALS iterations per timing (default 5; the first is left out of the median)
  --memory         also the peak RSS of training on 10 million plays, in a child process
  --no-write       print only; do not rewrite docs/bench-cf.md
  --als-only       only the ALS iteration table (implies --no-write)
  --help           this text`;

/** Printed after the figures (and so kept in docs/bench-cf.md): how to read them, where the rest is. */
const readingNotes = [
  "Reading these figures: CPU seconds are what the process's threads actually ran, so on a shared machine they stay close to the",
  "unloaded wall time while the wall time grows with the other work; compare figures from one run (the machine line gives the",
  "load average). The speed-ups compare each generated WebAssembly kernel with its alternative in this same run. How the kernels work,",
  'why they stay and earlier runs: docs/cf.md ("Bench"); readable listings of the kernels: packages/models/src/cf/*.wat.',
];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

/**
 * FLOPs of one CG sweep (both sides) as solveRowsCg and the WebAssembly kernels perform them: per
 * row and CG product (the residual's and each step's), G p (2k^2) and the vector updates (10k);
 * per stored play and product, a dot product and an update (4k); per row of the fixed side, the
 * Gram matrix's upper triangle (k(k+1); the SIMD kernel's 4 x 8 tiles along the diagonal also
 * compute about 10% of the lower one, not counted).
 */
function alsIterationFlops(m: Csr, k: number, steps: number): number {
  const products = steps + 1;
  const perSide = (rows: number, fixedRows: number) => rows * products * (2 * k * k + 10 * k) + m.indptr[m.rows] * products * 4 * k + fixedRows * k * (k + 1);
  return perSide(m.rows, m.cols) + perSide(m.cols, m.rows);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median wall and CPU seconds (all threads of the process) per iteration, first iteration left out. */
async function secondsPerIteration(m: Csr, threads: number, iterations: number, simd = true): Promise<{ wall: number; cpu: number }> {
  const wall: number[] = [],
    cpu: number[] = [];
  let last = process.cpuUsage();
  await new ImplicitAls({ factors: 64, iterations, threads, solver: "cg", backend: "cpu", simd, seed: 42 }).fit(m, {
    onIteration: (_it, _total, info) => {
      const now = process.cpuUsage();
      wall.push(info.seconds);
      cpu.push((now.user - last.user + now.system - last.system) / 1e6);
      last = now;
    },
  });
  // The first sweep includes JIT warm-up and worker start.
  const rest = (xs: number[]) => median(xs.length > 1 ? xs.slice(1) : xs);
  return { wall: rest(wall), cpu: rest(cpu) };
}

function timeKernel(run: () => void, repeats = 3): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    run();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

function kernelTimes(m: Csr, kernels: CfKernels): Record<string, number> {
  const k = 64,
    random = seededRandom(1);
  const items = { rows: m.cols, cols: k, data: Float32Array.from({ length: m.cols * k }, () => random() - 0.5) };
  const users = { rows: 256, cols: k, data: Float32Array.from({ length: 256 * k }, () => random() - 0.5) };
  const conf = confidenceMatrix(m, 1, "log1p");
  const rows = 2048;
  const gram = cpuKernels.gram(items);
  const batch = {
    k,
    gram,
    fixed: items.data,
    directions: Float32Array.from({ length: rows * k }, () => random()),
    indptr: conf.indptr.slice(0, rows + 1),
    indices: conf.indices,
    confidence: conf.data,
  };
  return {
    "gram Y^T Y (10,000 x 64)": timeKernel(() => kernels.gram(items)),
    "CG products, 2,048 rows": timeKernel(() => kernels.cgProducts(batch)),
    "scores 256 users x 10,000 items": timeKernel(() => kernels.scores(users, items, null)),
  };
}

/**
 * The weekly run's dot products (wasm-dots.ts): a listener's head of 300 rows drawn at random from
 * a 50,000-track matrix against one query, in WebAssembly and with `dot`, nanoseconds per
 * multiply-add (median of 3 timings of 2,000 heads).
 */
function dotTimes(k: number): { wasm: number; js: number } {
  const random = seededRandom(k);
  const m = { rows: 50_000, cols: k, data: Float32Array.from({ length: 50_000 * k }, () => random() - 0.5) };
  const query = Float32Array.from({ length: k }, () => random() - 0.5);
  const heads = Array.from({ length: 2000 }, () => Int32Array.from({ length: 300 }, () => Math.floor(random() * m.rows)));
  const dots = RowDots.create([m]);
  if (!dots.holds(m)) throw new Error("this runtime lacks WebAssembly SIMD: the dot products run in JavaScript either way");
  const out = new Float64Array(300);
  const perMadd = (seconds: number) => (seconds * 1e9) / (heads.length * 300 * k);
  let sink = 0;
  const wasm = timeKernel(() => {
    for (const rows of heads) dots.dots(m, rows, 300, query, out);
    sink += out[0];
  });
  const js = timeKernel(() => {
    for (const rows of heads) for (let r = 0; r < 300; r++) out[r] = dot(m.data, rows[r] * k, query, 0, k);
    sink += out[0];
  });
  if (!Number.isFinite(sink)) throw new Error("non-finite dot product");
  return { wasm: perMadd(wasm), js: perMadd(js) };
}

/**
 * EASE's inverse (spd-inverse.ts) of one n x n SPD matrix (a co-listening Gram matrix of random
 * plays plus lambda 100 on the diagonal): in a `spdMatrix` (the WebAssembly kernels) and in an
 * ordinary array (the JavaScript loops), seconds each (one timing: n^3/2 multiply-adds), and
 * whether the two inverses are equal bit for bit.
 */
async function inverseTimes(n: number): Promise<{ wasm: number; js: number; equal: boolean }> {
  const plays = syntheticPlays(4 * n, n, 40 * n, n);
  const plain = new Float64Array(n * n);
  for (let u = 0; u < plays.rows; u++) {
    for (let p = plays.indptr[u]; p < plays.indptr[u + 1]; p++) {
      const row = plays.indices[p] * n;
      for (let q = plays.indptr[u]; q < plays.indptr[u + 1]; q++) plain[row + plays.indices[q]] += 1;
    }
  }
  for (let d = 0; d < n; d++) plain[d * n + d] += 100;
  const placed = spdMatrix(n);
  if (!spdPlacement(placed, n)) throw new Error("this runtime lacks WebAssembly SIMD: the inverse runs in JavaScript either way");
  placed.set(plain);
  const time = async (a: Float64Array) => {
    const t = performance.now();
    await invertSpdInPlace(a, n);
    return (performance.now() - t) / 1000;
  };
  const wasm = await time(placed);
  const js = await time(plain);
  return { wasm, js, equal: plain.every((x, i) => Object.is(x, placed[i])) };
}

function memoryChild(): void {
  // Runs in its own process so its peak RSS is not mixed with the rest of the bench.
  const m = syntheticPlays(400_000, 100_000, 10_000_000, 7);
  void new ImplicitAls({ factors: 64, iterations: 1, threads: 2, backend: "cpu" }).fit(m).then(() => {
    process.stdout.write(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  });
}

async function main(): Promise<void> {
  const iterations = option("--iterations", 5);
  const load = loadavg()[0];
  const cpu =
    execFileSync("lscpu", { encoding: "utf8" })
      .match(/Model name:\s*(.+)/)?.[1]
      ?.trim() ?? "unknown";
  const lines: string[] = [];
  const say = (s: string) => {
    console.log(s);
    lines.push(s);
  };
  const started = performance.now();
  const m = syntheticPlays(20_000, 10_000, 800_000, 42);
  say(`synthetic matrix: ${m.rows} x ${m.cols}, ${m.indptr[m.rows]} plays (Zipf 0.8), generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const flops = alsIterationFlops(m, 64, 3);
  say(`FLOPs per ALS iteration (64 factors, 3 CG steps, both sides, Gram included): ${(flops / 1e9).toFixed(2)} GFLOP`);
  say("");
  // CPU seconds are what a thread actually ran: on a shared machine they stay close to the
  // unloaded wall time, while the wall time grows with the other work.
  say("| ALS, CG, 64 factors | wall s / iteration | GFLOP/s (wall) | CPU s / iteration (all threads) | GFLOP per CPU second |");
  say("|---|---|---|---|---|");
  const alsOnly = flag("--als-only");
  const cpuSeconds: Record<string, number> = {};
  // The typed-array CG (float64 loops, `simd: false`) is the alternative to the generated module.
  for (const simd of alsOnly ? [true] : [true, false]) {
    for (const threads of [1, 2]) {
      const s = await secondsPerIteration(m, threads, iterations, simd);
      cpuSeconds[`${simd}/${threads}`] = s.cpu;
      const label = `${threads} thread${threads > 1 ? "s" : ""}${simd ? "" : ", typed-array CG (simd: false)"}`;
      say(`| ${label} | ${s.wall.toFixed(3)} | ${(flops / s.wall / 1e9).toFixed(2)} | ${s.cpu.toFixed(3)} | ${(flops / s.cpu / 1e9).toFixed(2)} |`);
    }
  }
  if (!alsOnly) {
    say("");
    const ratio = (threads: number) => (cpuSeconds[`false/${threads}`] / cpuSeconds[`true/${threads}`]).toFixed(1);
    say(`WebAssembly CG solve (wasm-cg.ts) vs typed-array CG, CPU seconds per iteration: ${ratio(1)}x faster on 1 thread, ${ratio(2)}x on 2`);
    say("");
    const gpu = new GpuKernels();
    const simdTimes = kernelTimes(m, cpuKernels),
      loopTimes = kernelTimes(m, typedArrayKernels),
      gpuTimes = kernelTimes(m, gpu);
    say(
      `| kernel (median of 3, wall) | cpuKernels s (WebAssembly SIMD for gram and scores) | typed-array loops s | SIMD speed-up over the loops | gpu.js ${gpu.mode} s |`,
    );
    say("|---|---|---|---|---|");
    for (const name of Object.keys(simdTimes)) {
      // cpuKernels.cgProducts is the typed-array loop itself (ALS runs CG in wasm-cg.ts instead), so its ratio is noise.
      const speedUp = name.startsWith("CG products") ? "none: the same loops both ways" : `${(loopTimes[name] / simdTimes[name]).toFixed(1)}x`;
      say(`| ${name} | ${simdTimes[name].toFixed(4)} | ${loopTimes[name].toFixed(4)} | ${speedUp} | ${gpuTimes[name].toFixed(4)} |`);
    }
    gpu.dispose();
    say("");
    say("| exact dot products (wasm-dots.ts), 300 random rows of 50,000 against one query | WebAssembly ns per multiply-add | `dot` ns | speed-up |");
    say("|---|---|---|---|");
    for (const k of [64, 100]) {
      const t = dotTimes(k);
      say(`| k = ${k} | ${t.wasm.toFixed(3)} | ${t.js.toFixed(3)} | ${(t.js / t.wasm).toFixed(1)}x |`);
    }
    say("");
    say("| EASE's inverse (wasm-spd.ts), n x n float64, one timing | WebAssembly s | JavaScript loops s | speed-up | inverses equal bit for bit |");
    say("|---|---|---|---|---|");
    for (const n of [1000, 3000]) {
      const t = await inverseTimes(n);
      say(`| n = ${n.toLocaleString("en-US")} | ${t.wasm.toFixed(2)} | ${t.js.toFixed(2)} | ${(t.js / t.wasm).toFixed(1)}x | ${t.equal ? "yes" : "NO"} |`);
    }
  }
  if (flag("--memory") && !alsOnly) {
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--memory-child"], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`memory run failed: ${child.stderr}`);
    const { maxRssMiB } = JSON.parse(child.stdout.trim().split("\n").pop()!);
    say("");
    say(`peak RSS training 10,000,000 plays (400,000 x 100,000), 64 factors, 2 threads, 1 iteration: ${maxRssMiB.toFixed(0)} MiB`);
  }
  say("");
  for (const note of readingNotes) say(note);
  const loadAfter = loadavg()[0];
  const machine =
    `${cpu}, ${availableParallelism()} cores, Node ${process.version}; load average ${load.toFixed(1)} before and ${loadAfter.toFixed(1)} after` +
    (Math.max(load, loadAfter) > 1.5 ? " (the CPU was shared with other work, so times are inflated)" : "");
  console.log("");
  console.log(`machine: ${machine}`);
  if (!flag("--no-write") && !alsOnly) {
    const doc = `# CF benchmark (\`npm run bench:cf\`)\n\nMeasured ${new Date().toISOString().slice(0, 16)}Z on ${machine}.\n\n${lines.join("\n")}\n`;
    writeFileSync(join(repositoryRoot, "docs/bench-cf.md"), doc);
  }
}

if (flag("--help")) console.log(usage);
else if (flag("--memory-child")) memoryChild();
else await main();
