/** writeWorldAudio: renders clips to WAV files with a labels.csv of their true tempo and key,
 * one track at a time, yielding between tracks so it can run in the background of a server. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CancelledError } from "@deepcuts/models/core";
import type { DemoTrack, DemoWorld } from "../types.ts";
import { DEFAULT_CLIP_SECONDS, DEFAULT_SAMPLE_RATE, renderTrackAudio, type RenderOptions } from "./render.ts";
import { encodeWav } from "./wav.ts";

export interface WriteAudioOptions extends RenderOptions {
  /** Which tracks (default: all of the world's). */
  tracks?: DemoTrack[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** labels.csv of the given tracks' clips (`<track key>.wav`): their true tempo, key, mode, meter and genre. */
export function labelsCsv(tracks: DemoTrack[]): string {
  const rows = tracks.map((t) => `${t.key}.wav,${t.tempo},${t.musicalKey},${t.mode},4/4,${t.genre}`);
  return `${["path,tempo_bpm,key,mode,meter,genre", ...rows].join("\n")}\n`;
}

/** Writes `<dir>/labels.csv` for these tracks' clips (e.g. every clip in the folder after a resumed run). */
export async function writeWorldLabels(dir: string, tracks: DemoTrack[]): Promise<void> {
  await writeFile(join(dir, "labels.csv"), labelsCsv(tracks));
}

/** Writes `<dir>/<track key>.wav` per track and `<dir>/labels.csv`
 * (path,tempo_bpm,key,mode,meter,genre: the columns `deepcuts eval --model audio-features
 * --dataset audio:<dir>` reads; every demo track is in 4/4); returns the bytes written. */
export async function writeWorldAudio(world: DemoWorld, dir: string, options: WriteAudioOptions = {}): Promise<number> {
  const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const seconds = options.seconds ?? DEFAULT_CLIP_SECONDS;
  const tracks = options.tracks ?? world.tracks;
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < tracks.length; i++) {
    if (options.signal?.aborted) throw new CancelledError(`writing demo audio (${i} of ${tracks.length} done)`);
    const track = tracks[i];
    const wav = encodeWav(renderTrackAudio(track, world, { sampleRate, seconds }), sampleRate);
    const file = `${track.key}.wav`;
    // Written beside and renamed into place: a process killed mid-write leaves no truncated clip
    // under the real name, which a resumed synthesis would take as done.
    await writeFile(join(dir, `${file}.part`), wav);
    await rename(join(dir, `${file}.part`), join(dir, file));
    bytes += wav.length;
    options.onProgress?.(i + 1, tracks.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const csv = labelsCsv(tracks);
  await writeFile(join(dir, "labels.csv"), csv);
  return bytes + Buffer.byteLength(csv);
}
