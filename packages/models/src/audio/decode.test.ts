import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../datasets/shared-data.ts";
import { decodeAudio } from "./decode.ts";
import { CorruptAudioError, UnsupportedAudioError } from "./errors.ts";
import { encodeWav } from "./synthetic.ts";

const audio = findSharedDataset("audio");

describe("decodeAudio", () => {
  it("down-mixes a stereo 16-bit WAV to the mean of its channels", async () => {
    const left = Float32Array.from({ length: 800 }, (_, i) => Math.sin(i / 10) * 0.5);
    const right = Float32Array.from({ length: 800 }, () => 0.25);
    const { samples, sampleRate } = await decodeAudio(encodeWav([left, right], 8000));
    expect(sampleRate).toBe(8000);
    expect(samples.length).toBe(800);
    for (const i of [0, 17, 400, 799]) expect(samples[i]).toBeCloseTo((left[i] + right[i]) / 2, 3);
  });

  it("rejects bytes that are no known audio format", async () => {
    const text = new TextEncoder().encode("path,tempo_bpm\nsong.mp3,120\n");
    await expect(decodeAudio(text, "notes.csv")).rejects.toThrow(UnsupportedAudioError);
    await expect(decodeAudio(text, "notes.csv")).rejects.toThrow("notes.csv: not WAV, OGG Vorbis, MP3 or FLAC (28 bytes, no known header)");
  });

  it.skipIf(!audio.path)(`decodes OGG Vorbis and WAV from the shared folder ${audio.reason}`, async () => {
    const ogg = await decodeAudio(join(audio.path!, "librosa/sorohanro_-_solo-trumpet-06.hq.ogg"));
    expect(ogg.sampleRate).toBe(44100);
    expect(ogg.samples.length / ogg.sampleRate).toBeGreaterThan(5);
    const wav = await decodeAudio(join(audio.path!, "chromium-bsu/music_menu.wav"));
    expect(wav.samples.some((x) => Math.abs(x) > 0.01)).toBe(true);
  });

  it.skipIf(!audio.path)(`reports a truncated OGG file as corrupt ${audio.reason}`, async () => {
    const bytes = readFileSync(join(audio.path!, "openmsx/rendered_timgm6mb/moo_redfarn.ogg")).subarray(0, 3000);
    await expect(decodeAudio(new Uint8Array(bytes), "moo.ogg")).rejects.toThrow(CorruptAudioError);
  });
});
