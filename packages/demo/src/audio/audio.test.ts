import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateWorld } from "../world.ts";
import { renderTrackAudio } from "./render.ts";
import { encodeWav, wavByteLength } from "./wav.ts";
import { writeWorldAudio } from "./write.ts";
import { estimateTempo } from "../test-support/tempo.ts";
import { estimateKey } from "../test-support/key.ts";
import { spectra } from "../test-support/fft.ts";
import { TEST_NOW } from "../test-support/fixture.ts";
import type { DemoTrack } from "../types.ts";

const world = generateWorld({ now: TEST_NOW, listeners: 50, events: 100 });
const SR = 11_025;
// Two tracks per genre, spread over the catalogue.
const sample: DemoTrack[] = world.genres.flatMap((g) => {
  const tracks = world.tracks.filter((t) => t.genre === g.key);
  return [tracks[0], tracks[Math.floor(tracks.length / 2)]];
});

const clips = new Map<string, Float32Array>();
function clip(track: DemoTrack): Float32Array {
  let samples = clips.get(track.key);
  if (!samples) {
    samples = renderTrackAudio(track, world);
    clips.set(track.key, samples);
  }
  return samples;
}

/** Byte equality without vitest's element-by-element diffing of large arrays. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function spectralCentroid(samples: Float32Array): number {
  let weighted = 0;
  let total = 0;
  spectra(samples, 1024, 1024, (_, magnitudes) => {
    magnitudes.forEach((m, k) => {
      weighted += m * k;
      total += m;
    });
  });
  return ((weighted / total) * SR) / 1024;
}

describe("renderTrackAudio and encodeWav", () => {
  it("is deterministic per track and world seed, and differs between tracks", () => {
    const [a, b] = sample;
    const bytes = encodeWav(renderTrackAudio(a, world), SR);
    expect(sameBytes(encodeWav(renderTrackAudio(a, world), SR), bytes)).toBe(true);
    expect(sameBytes(encodeWav(clip(b), SR), bytes)).toBe(false);
    expect(sameBytes(encodeWav(renderTrackAudio(a, { seed: world.seed + 1, genres: world.genres }), SR), bytes)).toBe(false);
  });

  it("renders mono clips of the requested length, peak-normalised inside [-1, 1]", () => {
    for (const track of sample.slice(0, 6)) {
      const clip = renderTrackAudio(track, world, { seconds: 4, sampleRate: 8000 });
      expect(clip.length).toBe(32_000);
      let peak = 0;
      for (const v of clip) peak = Math.max(peak, Math.abs(v));
      expect(peak).toBeCloseTo(0.95, 6);
    }
    expect(renderTrackAudio(sample[0], world).length).toBe(10 * SR);
    expect(() => renderTrackAudio(sample[0], world, { sampleRate: 100 })).toThrow("sampleRate must be an integer 4000..96000, got 100");
    expect(() => renderTrackAudio(sample[0], world, { seconds: 0 })).toThrow("seconds must be in (0, 120], got 0");
    expect(() => renderTrackAudio({ ...sample[0], genre: "polka" }, world)).toThrow(/genre 'polka', not in the world's genres/);
  });

  it("writes a valid 16-bit mono PCM WAV that decodes back to the samples", () => {
    const clip = renderTrackAudio(sample[0], world, { seconds: 1 });
    const bytes = encodeWav(clip, SR);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
    expect([text(0), text(8), text(12), text(36)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect([view.getUint16(20, true), view.getUint16(22, true), view.getUint32(24, true), view.getUint16(34, true)]).toEqual([1, 1, SR, 16]);
    expect(view.getUint32(40, true)).toBe(clip.length * 2);
    expect(bytes.length).toBe(wavByteLength(SR, 1));
    let worst = 0;
    for (let i = 0; i < clip.length; i++) worst = Math.max(worst, Math.abs(view.getInt16(44 + 2 * i, true) / 32767 - clip[i]));
    expect(worst).toBeLessThanOrEqual(0.5 / 32767 + 1e-7);
  });

  it("plays the metadata tempo: an onset-autocorrelation estimate is within 2%", () => {
    const misses: string[] = [];
    for (const track of sample) {
      const genre = world.genres.find((g) => g.key === track.genre)!;
      // The genre's published range (narrower than an octave) settles the octave.
      const bpm = estimateTempo(clip(track), SR, genre.tempoRange[0] * 0.95, genre.tempoRange[1] * 1.05);
      if (Math.abs(bpm - track.tempo) / track.tempo > 0.02) misses.push(`${track.key} ${track.genre}: ${track.tempo} -> ${bpm.toFixed(2)}`);
    }
    expect(misses).toEqual([]);
  });

  it("plays in the metadata key and mode: Krumhansl-Kessler correlation of the chroma finds them", () => {
    const misses: string[] = [];
    for (const track of sample) {
      const found = estimateKey(clip(track), SR);
      if (found.key !== track.musicalKey || found.mode !== track.mode) {
        misses.push(`${track.key} ${track.genre}: ${track.musicalKey} ${track.mode} -> ${found.key} ${found.mode}`);
      }
    }
    // One miss in 22 is tolerated: a simple chroma detector, not the synthesis, is the weak part.
    expect(misses.length, misses.join("; ")).toBeLessThanOrEqual(1);
  });

  it("sounds like its genre: bright genres have a higher spectral centroid than dark ones", () => {
    const centroid = (genre: string) => {
      const tracks = world.tracks.filter((t) => t.genre === genre).slice(0, 4);
      return tracks.reduce((s, t) => s + spectralCentroid(renderTrackAudio(t, world, { seconds: 4 })), 0) / tracks.length;
    };
    expect(centroid("post-punk")).toBeGreaterThan(1.3 * centroid("lo-fi"));
    expect(centroid("indie-rock")).toBeGreaterThan(1.3 * centroid("dream-pop"));
  });

  it("writeWorldAudio writes one WAV per track and a labels.csv of the ground truth", async () => {
    const dir = await mkdtemp(join(tmpdir(), "deepcuts-demo-audio-"));
    try {
      const tracks = sample.slice(0, 3);
      const progress: number[] = [];
      const bytes = await writeWorldAudio(world, dir, { tracks, seconds: 2, onProgress: (done) => progress.push(done) });
      expect(progress).toEqual([1, 2, 3]);
      expect((await readdir(dir)).sort()).toEqual([...tracks.map((t) => `${t.key}.wav`), "labels.csv"].sort());
      expect((await stat(join(dir, `${tracks[0].key}.wav`))).size).toBe(wavByteLength(SR, 2));
      const labels = (await readFile(join(dir, "labels.csv"), "utf8")).trim().split("\n");
      expect(labels[0]).toBe("path,tempo_bpm,key,mode,meter,genre");
      expect(labels[1]).toBe(`${tracks[0].key}.wav,${tracks[0].tempo},${tracks[0].musicalKey},${tracks[0].mode},4/4,${tracks[0].genre}`);
      expect(bytes).toBe(3 * wavByteLength(SR, 2) + Buffer.byteLength(`${labels.join("\n")}\n`));
      const controller = new AbortController();
      controller.abort();
      await expect(writeWorldAudio(world, dir, { tracks, signal: controller.signal })).rejects.toThrow(/cancelled/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
