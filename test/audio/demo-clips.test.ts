import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld, writeWorldAudio, type DemoTrack } from "@deepcuts/demo";
import { evaluateAudioFeatures, type AudioFeatureEvaluation } from "@deepcuts/models/audio";

/** Clip length and sample rate of the clips `npm start` writes (DEMO_CLIP_SECONDS, 11,025 Hz). */
const CLIP_SECONDS = 8;
const SAMPLE_RATE = 11_025;
const PER_GENRE = 12;

// The default demo world (seed 42, 3,000 tracks); events do not change tracks, so none are drawn.
const world = generateWorld({ now: new Date("2026-01-01T00:00:00Z"), events: 0 });
// Twelve tracks per genre, evenly spread over each genre's catalogue: 132 clips.
const sample: DemoTrack[] = world.genres.flatMap((g) => {
  const tracks = world.tracks.filter((t) => t.genre === g.key);
  const step = tracks.length / PER_GENRE;
  return Array.from({ length: PER_GENRE }, (_, i) => tracks[Math.floor((i + 0.5) * step)]);
});

describe("audio features on the demo world's synthesized clips", () => {
  let dir: string;
  let result: AudioFeatureEvaluation;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "deepcuts-demo-clips-"));
    await writeWorldAudio(world, dir, { tracks: sample, seconds: CLIP_SECONDS, sampleRate: SAMPLE_RATE });
    result = await evaluateAudioFeatures({ dataset: `audio:${dir}`, threads: 2 });
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("finds the exact tempo (within 4%, same octave) of at least 95% of the clips", () => {
    expect(result.files).toBe(sample.length);
    expect(result.failed).toBe(0);
    const misses = result.rows.filter((r) => !r.tempoExact).map((r) => `${r.path}: ${r.tempoLabel} -> ${r.tempoEstimate}`);
    expect(result.tempo.exactOctave, misses.join("; ")).toBeGreaterThanOrEqual(0.95);
    expect(result.tempo.withOctaveErrors).toBeGreaterThanOrEqual(0.98);
  });

  it("finds the key and mode with a MIREX score of at least 0.90", () => {
    const misses = result.rows.filter((r) => r.keyScore !== 1).map((r) => `${r.path}: ${r.keyLabel} -> ${r.keyEstimate}`);
    expect(result.key.labelled).toBe(sample.length);
    expect(result.key.mirexScore, misses.join("; ")).toBeGreaterThanOrEqual(0.9);
  });
});
