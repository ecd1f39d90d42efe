import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeMidi, type MidiEvent } from "midi-file";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateAudioFeatures } from "./eval.ts";
import { AnalysisPool } from "./pool.ts";
import { encodeWav, synthesizeTrack } from "./synthetic.ts";

const dir = mkdtempSync(join(tmpdir(), "analysis-pool-"));
const file = (name: string, bytes: Uint8Array | string) => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};
const rate = 11025;
const loop = file("loop.wav", encodeWav([synthesizeTrack({ bpm: 118, key: "E", mode: "minor", seconds: 8, sampleRate: rate })], rate));

describe("AnalysisPool", () => {
  const pool = new AnalysisPool({ threads: 2 });
  afterAll(() => pool.close());

  it("analyses good files and reports each bad one without stopping the batch", async () => {
    const bad = {
      silent: file("silent.wav", encodeWav([new Float32Array(rate * 5)], rate)),
      short: file("short.wav", encodeWav([synthesizeTrack({ bpm: 120, key: "C", mode: "major", seconds: 1, sampleRate: rate })], rate)),
      corrupt: file("corrupt.wav", encodeWav([new Float32Array(rate)], rate).subarray(0, 20)),
      unsupported: file("notes.txt", "not audio at all"),
      missing: join(dir, "missing.ogg"),
    };
    const progress: number[] = [];
    const results = await pool.analyseFiles([loop, ...Object.values(bad), loop], { onProgress: (done) => progress.push(done) });
    expect(results.map((r) => r.path)).toEqual([loop, ...Object.values(bad), loop]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const [first, silent, short, corrupt, unsupported, missing, last] = results;
    for (const good of [first, last]) {
      expect(good.ok).toBe(true);
      if (good.ok) {
        expect(Math.round(good.analysis.tempo.bpm)).toBe(118);
        expect(`${good.analysis.key} ${good.analysis.mode}`).toBe("E minor");
        expect(good.analysis.melSpectrogram!.data.length).toBe(good.analysis.melSpectrogram!.frames * 96);
      }
    }
    const errorOf = (r: (typeof results)[number]) => (r.ok ? "" : r.error);
    expect(errorOf(silent)).toMatch(/^SilentAudioError: .*silent\.wav: excerpt RMS level -\d+/);
    expect(errorOf(short)).toMatch(/^TooShortAudioError: .*short\.wav: 1\.00 s of audio, at least 2 s needed/);
    expect(errorOf(corrupt)).toMatch(/^(CorruptAudioError|UnsupportedAudioError): .*corrupt\.wav/);
    expect(errorOf(unsupported)).toMatch(/^UnsupportedAudioError: .*notes\.txt: not WAV, OGG Vorbis, MP3 or FLAC/);
    expect(errorOf(missing)).toMatch(/ENOENT/);
  });

  it("keeps essentia's WASM heap flat over many clips in one worker", async () => {
    const single = new AnalysisPool({ threads: 1 });
    try {
      await single.analyseFiles(Array(2).fill(loop));
      const heapAfterWarmUp = single.memory[0].wasmHeapBytes;
      await single.analyseFiles(Array(8).fill(loop));
      // The heap only grows; one leaked 8 s input vector per clip would add 0.5 MB a clip.
      expect(heapAfterWarmUp).toBeGreaterThan(0);
      expect(single.memory[0].wasmHeapBytes).toBe(heapAfterWarmUp);
    } finally {
      await single.close();
    }
  });
});

describe("evaluateAudioFeatures", () => {
  it("scores tempo and key against a folder's labels.csv", async () => {
    const folder = mkdtempSync(join(tmpdir(), "audio-eval-"));
    const tracks = [
      { name: "a.wav", bpm: 96, key: "G", mode: "major" },
      { name: "b.wav", bpm: 132, key: "C#", mode: "minor" },
      { name: "c.wav", bpm: 150, key: "Bb", mode: "major" },
    ] as const;
    for (const [seed, t] of tracks.entries()) {
      writeFileSync(join(folder, t.name), encodeWav([synthesizeTrack({ ...t, seconds: 8, sampleRate: 16000, seed })], 16000));
    }
    writeFileSync(join(folder, "broken.wav"), "RIFF....WAVE");
    // a.wav's score: G major triads in quarter notes at 96 BPM; b.wav's: C major triads, played at 90.
    const score = (bpm: number, triad: number[]) => {
      const track: MidiEvent[] = [{ deltaTime: 0, type: "setTempo", meta: true, microsecondsPerBeat: Math.round(60e6 / bpm) }];
      for (let beat = 0; beat < 32; beat++) {
        for (const p of triad) track.push({ deltaTime: 0, type: "noteOn", channel: 0, noteNumber: p, velocity: 90 });
        triad.forEach((p, j) => track.push({ deltaTime: j === 0 ? 96 : 0, type: "noteOff", channel: 0, noteNumber: p, velocity: 0 }));
      }
      track.push({ deltaTime: 0, type: "endOfTrack", meta: true });
      return Uint8Array.from(writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: 96 }, tracks: [track] }));
    };
    writeFileSync(join(folder, "a.mid"), score(96, [55, 59, 62]));
    writeFileSync(join(folder, "b.mid"), score(90, [60, 64, 67]));
    writeFileSync(join(folder, "c.mid"), "MThd, but not a MIDI file");
    writeFileSync(
      join(folder, "labels.csv"),
      ["path,tempo_bpm,key,mode,meter", ...tracks.map((t) => `${t.name},${t.bpm},${t.key},${t.mode},4/4`), "broken.wav,100,,,", "unlabelled.wav,,,,"].join(
        "\n",
      ),
    );
    const result = await evaluateAudioFeatures({ dataset: `audio:${folder}`, threads: 2 });
    expect(result.files).toBe(4);
    expect(result.failed).toBe(1);
    expect(result.tempo).toMatchObject({ labelled: 4, exactCount: 3, withOctaveErrorsCount: 3, exactOctave: 0.75 });
    expect(result.key).toMatchObject({ labelled: 3, mirexScore: 1, exactCount: 3 });
    expect(result.rows.find((r) => r.path === "broken.wav")!.error).toMatch(/broken\.wav/);
    // The scores beside a.wav and b.wav: a's notes bear out its labels; b's recur at 90, not at
    // the labelled 132, and sound C major, not C# minor.
    const a = result.rows.find((r) => r.path === "a.wav")!.scoreCheck!;
    expect(a).toMatchObject({ score: "a.mid", keyFromNotes: "G major", keyFromNotesScore: 1, labelledThirds: { major: 0.333, minor: 0 } });
    expect(a.pulseAtLabel).toBeGreaterThan(0.6);
    const b = result.rows.find((r) => r.path === "b.wav")!.scoreCheck!;
    expect(b).toMatchObject({ keyFromNotes: "C major", keyFromNotesScore: 0 });
    expect(b.pulseAtLabel).toBeLessThan(0.3);
    // An unreadable score is named in its row and counts as none; the audio figures stand.
    expect(result.rows.find((r) => r.path === "c.wav")!.scoreCheck).toMatchObject({
      score: "c.mid",
      keyFromNotes: null,
      error: expect.stringMatching(/c\.mid: not a readable standard MIDI file/),
    });
    expect(result.labelCheck).toMatchObject({
      scored: 2,
      tempo: { labelled: 4, withoutPulse: ["b.wav"], best: 0.75 },
      key: { labelled: 2, mirexFromNotes: 0.5 },
    });
  });
});
