/**
 * Content network speed: seconds per training epoch and inference tracks per second, for the
 * CPU reference kernels and the gpu.js kernels (WebAssembly SIMD when there is no GPU), on
 * synthetic 96-band spectrograms with 64-d targets and the default network.
 *
 *   node --import tsx packages/models/bench/cnn.bench.ts [--tracks 2000] [--frames 256] [--epochs 2] [--backends cpu,gpu] [--out docs/bench-cnn.md]
 *
 * `npm run bench:audio` calls `benchContentNetwork` and `formatCnnBench` from here.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { seededRandom } from "../src/core/index.ts";
import { ContentNetwork, DEFAULT_CNN_PARAMS, gpuProbe, syntheticAudioSet } from "../src/audio/cnn/index.ts";

export interface CnnBenchOptions {
  tracks: number;
  frames: number;
  epochs: number;
  backends: ("cpu" | "gpu")[];
}

export interface CnnBenchResult {
  backend: string;
  /** What gpu.js ran on, or "typed-array JS". */
  device: string;
  tracks: number;
  frames: number;
  secondsPerEpoch: number[];
  /** CPU time this process used per epoch: close to the wall time an idle machine would give. */
  cpuSecondsPerEpoch: number[];
  inferenceTracksPerSecond: number;
  /** Inference rate from this process's CPU time. */
  inferenceTracksPerCpuSecond: number;
}

export async function benchContentNetwork(options: Partial<CnnBenchOptions> = {}): Promise<CnnBenchResult[]> {
  const { tracks = 2000, frames = 256, epochs = 2, backends = ["cpu", "gpu"] } = options;
  const set = syntheticAudioSet({ count: tracks, bands: 96, frames, targetDim: 64, random: seededRandom(1) });
  const results: CnnBenchResult[] = [];
  for (const backend of backends) {
    // Patience above the epoch count so every requested epoch runs.
    const network = new ContentNetwork({ backend, maxEpochs: epochs, patience: epochs + 1 });
    const device = backend === "gpu" ? `gpu.js ${gpuProbe().mode}` : "typed-array JS";
    const secondsPerEpoch: number[] = [],
      cpuSecondsPerEpoch: number[] = [];
    let last = performance.now(),
      lastCpu = cpuSeconds();
    await network.fit(set.inputs, set.targets, {
      onEpoch: () => {
        const now = performance.now(),
          nowCpu = cpuSeconds();
        secondsPerEpoch.push((now - last) / 1000);
        cpuSecondsPerEpoch.push(nowCpu - lastCpu);
        last = now;
        lastCpu = nowCpu;
      },
    });
    const started = performance.now(),
      startedCpu = cpuSeconds();
    network.predict(set.inputs);
    const inferenceTracksPerSecond = tracks / ((performance.now() - started) / 1000);
    const inferenceTracksPerCpuSecond = tracks / (cpuSeconds() - startedCpu);
    network.dispose();
    results.push({ backend, device, tracks, frames, secondsPerEpoch, cpuSecondsPerEpoch, inferenceTracksPerSecond, inferenceTracksPerCpuSecond });
  }
  return results;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function formatCnnBench(results: CnnBenchResult[]): string {
  const p = DEFAULT_CNN_PARAMS;
  const lines = [
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} at the end (the CPU is shared with other work).`,
    `Network: default parameters (time downsample ${p.timeDownsample}, conv ${p.convChannels.join("/")} channels, kernels ${p.kernelSizes.join("/")}, pools ${p.poolSizes.join("/")}, dense ${p.denseSizes.join("/")}, crop ${p.cropFrames} frames, batch ${p.batchSize}); 96 bands, 64-d targets; epoch = 90% of the tracks (10% validation), including the validation pass.`,
    "",
    "| backend | runs on | tracks x frames | wall s per epoch | CPU s per epoch | inference tracks/s wall | inference tracks per CPU s |",
    "|---|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.backend} | ${r.device} | ${r.tracks} x ${r.frames} | ${fixed(r.secondsPerEpoch)} | ${fixed(r.cpuSecondsPerEpoch)} | ${r.inferenceTracksPerSecond.toFixed(0)} | ${r.inferenceTracksPerCpuSecond.toFixed(0)} |`,
    ),
  ];
  return lines.join("\n");
}

const fixed = (values: number[]) => values.map((v) => v.toFixed(2)).join(", ");

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const results = await benchContentNetwork({
    tracks: Number(argument("tracks") ?? 2000),
    frames: Number(argument("frames") ?? 256),
    epochs: Number(argument("epochs") ?? 2),
    backends: (argument("backends") ?? "cpu,gpu").split(",") as ("cpu" | "gpu")[],
  });
  const table = formatCnnBench(results);
  console.log(table);
  const out = argument("out");
  if (out)
    writeFileSync(
      out,
      `# Content network benchmark\n\nCommand: \`node --import tsx packages/models/bench/cnn.bench.ts${process.argv
        .slice(2)
        .map((a) => " " + a)
        .join("")}\`\n\n${table}\n`,
    );
}
