/**
 * Demo world benchmark: generation time, event throughput (wall and CPU), memory while
 * streaming events, audio synthesis time and disk size.
 *   node --import tsx packages/demo/scripts/bench.ts [--events N] (default: all 10M of the benchmark world)
 */
import { DEFAULT_CLIP_SECONDS, DEFAULT_SAMPLE_RATE, encodeWav, events, generateWorld, renderTrackAudio, wavByteLength } from "../src/index.ts";

const NOW = new Date("2026-11-25T00:00:00.000Z");
const limitArg = process.argv.indexOf("--events");
const eventLimit = limitArg >= 0 ? Number(process.argv[limitArg + 1]) : Infinity;

function timed<T>(run: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

function streamEvents(world: ReturnType<typeof generateWorld>, limit: number) {
  let count = 0;
  let checksum = 0;
  let peakRss = 0;
  for (const event of events(world)) {
    checksum = (checksum + event.at.getTime() + event.eventId.length) % 1_000_000_007;
    if (++count % 1_000_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (count >= limit) break;
  }
  return { count, checksum, peakRss };
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

const small = timed(() => generateWorld({ now: NOW }));
const w = small.value;
console.log(
  `default world: ${w.users.length} listeners, ${w.artists.length} artists, ${w.tracks.length} tracks, ${w.documents.length} documents, ${w.eventCount} events`,
);
console.log(`  generateWorld: ${small.wallMs.toFixed(0)} ms wall, ${small.cpuMs.toFixed(0)} ms CPU`);
const smallEvents = timed(() => streamEvents(w, Infinity));
console.log(`  events: ${smallEvents.value.count} in ${smallEvents.wallMs.toFixed(0)} ms wall, ${smallEvents.cpuMs.toFixed(0)} ms CPU`);

const clipTimes: number[] = [];
let clipBytes = 0;
for (let i = 0; i < w.tracks.length; i += Math.floor(w.tracks.length / 60)) {
  const t = timed(() => renderTrackAudio(w.tracks[i], w));
  clipTimes.push(t.cpuMs);
  clipBytes = encodeWav(t.value, DEFAULT_SAMPLE_RATE).length;
}
clipTimes.sort((a, b) => a - b);
console.log(
  `  audio: ${clipTimes.length} clips of ${DEFAULT_CLIP_SECONDS} s at ${DEFAULT_SAMPLE_RATE} Hz, CPU ms per clip median ${clipTimes[clipTimes.length >> 1].toFixed(1)}, max ${clipTimes[clipTimes.length - 1].toFixed(1)}`,
);
console.log(
  `  audio on disk: ${clipBytes} bytes per WAV (= ${wavByteLength(DEFAULT_SAMPLE_RATE, DEFAULT_CLIP_SECONDS)}), ${mb(clipBytes * w.tracks.length)} MiB for all ${w.tracks.length} tracks`,
);

const big = timed(() => generateWorld({ now: NOW, scale: "benchmark" }));
const b = big.value;
console.log(
  `benchmark world: ${b.users.length} listeners, ${b.artists.length} artists, ${b.tracks.length} tracks, ${b.documents.length} documents, ${b.eventCount} events`,
);
console.log(`  generateWorld: ${big.wallMs.toFixed(0)} ms wall, ${big.cpuMs.toFixed(0)} ms CPU; RSS after ${mb(process.memoryUsage().rss)} MiB`);
const bigEvents = timed(() => streamEvents(b, eventLimit));
const { count, peakRss } = bigEvents.value;
console.log(
  `  events: ${count} in ${(bigEvents.wallMs / 1000).toFixed(2)} s wall (${(count / bigEvents.wallMs / 1000).toFixed(2)} M/s), ` +
    `${(bigEvents.cpuMs / 1000).toFixed(2)} s CPU (${(count / bigEvents.cpuMs / 1000).toFixed(2)} M/s); peak RSS while streaming ${mb(peakRss)} MiB`,
);
