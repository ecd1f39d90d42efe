// `npm run bench:audio`: real-time factor per core of the whole per-track analysis (decode,
// features, spectrogram) on the labelled recordings of ../shared/data/audio, per-stage CPU
// times, the pool's wall time on all cores, and essentia's WASM heap and the process RSS
// over many clips analysed in one process.
// Flags: --clips N (default 1000), --no-write (do not rewrite docs/bench-audio.md).
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { analyseAudio } from "../src/audio/analyse.ts";
import { decodeAudio } from "../src/audio/decode.ts";
import { essentiaHeapBytes } from "../src/audio/essentia-loader.ts";
import { readAudioLabels } from "../src/audio/labels.ts";
import { AnalysisPool } from "../src/audio/pool.ts";
import { findSharedDataset, repositoryRoot } from "../src/datasets/shared-data.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const clipCount = option("--clips", 1000);

const audio = findSharedDataset("audio");
if (!audio.path) {
  console.error(`bench:audio needs the labelled recordings: ${audio.reason}`);
  process.exit(1);
}
const labels = await readAudioLabels(join(audio.path, "labels.csv"));
const paths = labels.map((l) => join(audio.path!, l.path));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

// 1. One core: every labelled recording, decode and analysis timed with this thread's CPU time.
const stageTotals: Record<string, number> = {};
let trackSeconds = 0;
let excerptSeconds = 0;
let cpuTotal = 0;
const excerpts: { samples: Float32Array; sampleRate: number }[] = [];
analyseAudio(
  new Float32Array(16000 * 3).map((_, i) => Math.sin(i / 9)),
  16000,
); // load essentia, compile
for (const path of paths) {
  const start = cpuMs();
  const decoded = await decodeAudio(path);
  const decodeMs = cpuMs() - start;
  stageTotals.decode = (stageTotals.decode ?? 0) + decodeMs;
  const analysis = analyseAudio(decoded.samples, decoded.sampleRate, {}, path, (stage, ms) => {
    stageTotals[stage] = (stageTotals[stage] ?? 0) + ms;
  });
  cpuTotal += cpuMs() - start;
  trackSeconds += analysis.durationSeconds;
  excerptSeconds += analysis.excerpt.seconds;
  const from = Math.round(analysis.excerpt.startSeconds * decoded.sampleRate);
  excerpts.push({ samples: decoded.samples.slice(from, from + Math.round(10 * decoded.sampleRate)), sampleRate: decoded.sampleRate });
}
const rtfTrack = trackSeconds / (cpuTotal / 1000);
const rtfExcerpt = excerptSeconds / (cpuTotal / 1000);
const analysedMs = Object.entries(stageTotals)
  .filter(([s]) => s !== "decode")
  .reduce((s, [, ms]) => s + ms, 0);
console.log(`${paths.length} recordings, ${trackSeconds.toFixed(0)} s of audio, ${excerptSeconds.toFixed(0)} s analysed (30 s excerpts)`);
console.log(`one core: ${(cpuTotal / 1000).toFixed(1)} s CPU = ${rtfTrack.toFixed(1)}x real time per track, ${rtfExcerpt.toFixed(1)}x per analysed second`);
const stageRows = Object.entries(stageTotals).map(([stage, ms]) => {
  const per = stage === "decode" ? trackSeconds : excerptSeconds;
  return `| ${stage} | ${(ms / 1000).toFixed(2)} | ${(per / (ms / 1000)).toFixed(0)}x |`;
});
console.log(stageRows.join("\n"));

// 2. All cores: the worker pool over the same files (spectrograms included).
const pool = new AnalysisPool();
const wallStart = performance.now();
const results = await pool.analyseFiles(paths);
const poolWall = (performance.now() - wallStart) / 1000;
await pool.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`pool, ${pool.threads} threads: ${poolWall.toFixed(1)} s wall = ${(trackSeconds / poolWall).toFixed(1)}x real time, ${failed} failed`);

// 3. Memory over many clips in one process: 10 s excerpts of the recordings, round robin.
const memoryRows: string[] = [];
const heapStart = essentiaHeapBytes();
const rssStart = process.memoryUsage.rss();
const memoryStart = performance.now();
for (let i = 1; i <= clipCount; i++) {
  const clip = excerpts[i % excerpts.length];
  analyseAudio(clip.samples, clip.sampleRate);
  if (i === 1 || i % Math.max(1, Math.floor(clipCount / 10)) === 0) {
    const row = `| ${i} | ${mib(essentiaHeapBytes())} | ${mib(process.memoryUsage.rss())} |`;
    memoryRows.push(row);
    console.log(row);
  }
}
const memorySeconds = (performance.now() - memoryStart) / 1000;
console.log(
  `${clipCount} clips in ${memorySeconds.toFixed(0)} s; WASM heap ${mib(heapStart)} -> ${mib(essentiaHeapBytes())} MiB, RSS ${mib(rssStart)} -> ${mib(process.memoryUsage.rss())} MiB`,
);

if (!args.includes("--no-write")) {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(", ");
  writeFileSync(
    join(repositoryRoot, "docs/bench-audio.md"),
    `# Audio analysis benchmark

\`npm run bench:audio\` on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores,
Node ${process.version}. The machine is shared with other engineers' jobs (load average ${load} at
the end of the run), so these are upper bounds on the time an idle core needs.

## Real-time factor, one core (CPU time of this thread)

${paths.length} labelled recordings of \`../shared/data/audio\` (${trackSeconds.toFixed(0)} s; each analysed over its
middle 30 s, ${excerptSeconds.toFixed(0)} s in all). Whole per-track analysis (decode of the whole file,
features, 96-band log-mel spectrogram): **${rtfTrack.toFixed(1)}x real time per core per track duration**,
${rtfExcerpt.toFixed(1)}x per analysed second (bar: 30x). Analysis without decoding:
${(excerptSeconds / (analysedMs / 1000)).toFixed(1)}x per analysed second.

| stage | CPU s | real-time factor |
|---|---|---|
${stageRows.join("\n")}

Decode is measured against the whole track, the other stages against the analysed excerpt.

## Worker pool, all cores

\`AnalysisPool\` with ${pool.threads} threads over the same files: ${poolWall.toFixed(1)} s wall
(${(trackSeconds / poolWall).toFixed(1)}x real time), ${failed} failed.

## Memory over ${clipCount} clips in one process

10 s excerpts of the recordings, analysed in turn (${memorySeconds.toFixed(0)} s). essentia's WASM heap never
shrinks, so a leak shows as growth.

| clips | WASM heap MiB | RSS MiB |
|---|---|---|
${memoryRows.join("\n")}
`,
  );
  console.log("wrote docs/bench-audio.md");
}
