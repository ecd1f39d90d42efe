import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../datasets/shared-data.ts";
import { analyseAudio, analyseFile } from "./analyse.ts";
import { SilentAudioError, TooShortAudioError } from "./errors.ts";
import { tempoMatch } from "./labels.ts";
import { LOG_MEL_SETTINGS } from "./spectrogram.ts";
import { clickTrack, synthesizeTrack } from "./synthetic.ts";

const audio = findSharedDataset("audio");

describe("analyseAudio on signals with a known answer", () => {
  it("finds the tempo, beats and onset rate of click tracks", () => {
    for (const bpm of [72, 100, 128, 160]) {
      const clicks = clickTrack(bpm, 12, 16000, 0.25);
      const analysis = analyseAudio(clicks, 16000);
      expect(tempoMatch(analysis.tempo.bpm, bpm).exact).toBe(true);
      expect(analysis.tempo.confidence).toBeGreaterThan(0.5);
      expect(analysis.onsetRate).toBeCloseTo(bpm / 60, 0);
      // Every tracked beat lies within 25 ms of a click.
      const period = 60 / bpm;
      for (const beat of analysis.beats) {
        const phase = (beat - 0.25) / period;
        expect(Math.abs(phase - Math.round(phase)) * period).toBeLessThan(0.025);
      }
      expect(analysis.beats.length).toBeGreaterThanOrEqual(Math.floor((12 - 0.25) / period) - 1);
    }
  });

  it("finds tempo, key and mode of short demo-like loops at low sample rates", () => {
    const cases = [
      { bpm: 92, key: "D", mode: "major", sampleRate: 11025 },
      { bpm: 124, key: "A", mode: "minor", sampleRate: 11025 },
      { bpm: 140, key: "Eb", mode: "major", sampleRate: 16000 },
      { bpm: 108, key: "F#", mode: "minor", sampleRate: 16000 },
      { bpm: 170, key: "G", mode: "major", sampleRate: 22050 },
    ] as const;
    for (const [seed, c] of cases.entries()) {
      const track = synthesizeTrack({ ...c, seconds: 9, seed });
      const analysis = analyseAudio(track, c.sampleRate);
      expect(`${Math.round(analysis.tempo.bpm)} ${analysis.key} ${analysis.mode}`).toBe(`${c.bpm} ${c.key} ${c.mode}`);
    }
  });

  it("returns a 96-band log-mel spectrogram of the middle excerpt", () => {
    const track = synthesizeTrack({ bpm: 120, key: "C", mode: "major", seconds: 20, sampleRate: 22050 });
    const analysis = analyseAudio(track, 22050, { excerptSeconds: 10 });
    expect(analysis.excerpt).toEqual({ startSeconds: 5, seconds: 10 });
    const mel = analysis.melSpectrogram!;
    expect(mel.bands).toBe(96);
    expect(mel.frames).toBe(1 + Math.ceil((10 * LOG_MEL_SETTINGS.sampleRate - 512) / 256));
    expect(mel.data.length).toBe(mel.frames * 96);
    expect(mel.data.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(analysis.beats[0]).toBeGreaterThanOrEqual(5);
    expect(analysis.beats.at(-1)!).toBeLessThanOrEqual(15);
    expect(analysis.loudness.integratedLufs).toBeGreaterThan(-30);
    expect(analysis.loudness.integratedLufs).toBeLessThan(0);
    expect(analysisWithoutSpectrogram(track).melSpectrogram).toBeNull();
  });

  it("tells onStage each stage's CPU time once, in order, and gives the same result as without it", () => {
    const track = synthesizeTrack({ bpm: 120, key: "C", mode: "major", seconds: 6, sampleRate: 22050 });
    const stages: [string, number][] = [];
    const timed = analyseAudio(track, 22050, {}, "timed", (stage, ms) => stages.push([stage, ms]));
    expect(stages.map(([stage]) => stage)).toEqual([
      "loudness",
      "resample",
      "spectrogram",
      "percival",
      "key",
      "danceability",
      "dynamicComplexity",
      "tempo",
      "beats",
    ]);
    expect(stages.every(([, ms]) => Number.isFinite(ms) && ms >= 0)).toBe(true);
    expect(timed).toEqual(analyseAudio(track, 22050));
  });

  it("rejects silence and too-short input before essentia sees it", () => {
    expect(() => analyseAudio(new Float32Array(16000 * 5), 16000, {}, "quiet.wav")).toThrow(SilentAudioError);
    expect(() => analyseAudio(new Float32Array(16000 * 5).fill(1e-5), 16000, {}, "hiss.wav")).toThrow(
      "hiss.wav: excerpt RMS level -100.0 dBFS is below the -60 dBFS silence threshold",
    );
    expect(() => analyseAudio(clickTrack(120, 1.5, 16000), 16000, {}, "blip.wav")).toThrow(TooShortAudioError);
    expect(() => analyseAudio(clickTrack(120, 1.5, 16000), 16000, {}, "blip.wav")).toThrow("blip.wav: 1.50 s of audio, at least 2 s needed");
  });
});

function analysisWithoutSpectrogram(track: Float32Array) {
  return analyseAudio(track, 22050, { spectrogram: false });
}

describe("analyseFile on real recordings", () => {
  it.skipIf(!audio.path)(`gets madmom's hand-annotated 87.5 BPM sample within 4% ${audio.reason}`, async () => {
    const analysis = await analyseFile(join(audio.path!, "madmom/sample.wav"));
    expect(tempoMatch(analysis.tempo.bpm, 87.5).withOctaveErrors).toBe(true);
    // Most hand-annotated beats (sample.beats) have a tracked beat within 70 ms (MIREX window).
    const annotated = readFileSync(join(audio.path!, "madmom/sample.beats"), "utf8")
      .split("\n")
      .filter((line) => /^\d/.test(line))
      .map((line) => Number(line.split(/\s+/)[0]));
    const hits = annotated.filter((t) => analysis.beats.some((b) => Math.abs(b - t) <= 0.07));
    expect(hits.length / annotated.length).toBeGreaterThanOrEqual(0.75);
  });
});
