import { events, generateWorld, renderTrackAudio, type DemoWorld } from "@deepcuts/demo";
import { IdIndex } from "@deepcuts/models/core";

/** The demo world an offline evaluation runs on: smaller than npm start's, so it runs in minutes. */
export interface DemoEvalWorldOptions {
  seed?: number;
  listeners?: number;
  artists?: number;
  tracks?: number;
  events?: number;
}

export function demoEvalWorld(options: DemoEvalWorldOptions): DemoWorld {
  return generateWorld({
    seed: options.seed ?? 42,
    listeners: options.listeners ?? 1000,
    artists: options.artists ?? 100,
    tracks: options.tracks ?? 1000,
    events: options.events ?? 100_000,
  });
}

/** Stream counts per (listener, track) of a demo world, keyed listener * tracks + track. */
export function demoStreams(world: DemoWorld): { users: IdIndex<string>; tracks: IdIndex<string>; streams: Map<number, number>; listenersOf: number[][] } {
  const users = new IdIndex<string>(world.users.map((u) => u.key));
  const tracks = new IdIndex<string>(world.tracks.map((t) => t.key));
  const streams = new Map<number, number>();
  for (const e of events(world)) {
    if (e.kind !== "stream") continue;
    const key = users.indexOf(e.userKey) * tracks.size + tracks.indexOf(e.trackKey);
    streams.set(key, (streams.get(key) ?? 0) + 1);
  }
  const listenersOf: number[][] = world.tracks.map(() => []);
  for (const key of streams.keys()) listenersOf[key % tracks.size].push(Math.floor(key / tracks.size));
  return { users, tracks, streams, listenersOf };
}

/** Log-mel spectrograms of the given tracks' synthesized clips, as the product computes them. */
export async function demoSpectrograms(
  world: DemoWorld,
  trackIndices: Iterable<number>,
  options: { seconds?: number; onProgress?: (done: number, total: number) => void } = {},
) {
  const { resample, logMelSpectrogram } = await import("@deepcuts/models/audio");
  const list = [...trackIndices];
  const out = new Map<number, ReturnType<typeof logMelSpectrogram>>();
  for (const [i, t] of list.entries()) {
    const clip = renderTrackAudio(world.tracks[t], world, { seconds: options.seconds ?? 8 });
    out.set(t, logMelSpectrogram(resample(clip, 11_025, 16_000)));
    if (i % 50 === 0) options.onProgress?.(i, list.length);
  }
  return out;
}
