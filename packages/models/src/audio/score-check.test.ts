import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeMidi, type MidiEvent } from "midi-file";
import { describe, expect, it } from "vitest";
import { findSharedDataset } from "../datasets/shared-data.ts";
import { pitchClass, readAudioLabels } from "./labels.ts";
import { checkScore, findScore, keyFromNotes, NO_PULSE, pulseInNotes, readMidiNotes, thirdsAbove, type ScoreNote } from "./score-check.ts";

const TICKS = 96;

/** A one-track MIDI file: notes as [tick, length in ticks, pitch, channel], and tempo changes as [tick, BPM]. */
function midi(notes: [number, number, number, number][], tempos: [number, number][] = [[0, 120]]): Uint8Array {
  const timed: { tick: number; order: number; event: MidiEvent }[] = [];
  for (const [tick, bpm] of tempos)
    timed.push({ tick, order: 0, event: { deltaTime: 0, type: "setTempo", meta: true, microsecondsPerBeat: Math.round(60e6 / bpm) } });
  for (const [tick, length, pitch, channel] of notes) {
    timed.push({ tick: tick + length, order: 1, event: { deltaTime: 0, type: "noteOff", channel, noteNumber: pitch, velocity: 0 } });
    timed.push({ tick, order: 2, event: { deltaTime: 0, type: "noteOn", channel, noteNumber: pitch, velocity: 100 } });
  }
  timed.sort((a, b) => a.tick - b.tick || a.order - b.order);
  let last = 0;
  const track = timed.map(({ tick, event }) => {
    event.deltaTime = tick - last;
    last = tick;
    return event;
  });
  track.push({ deltaTime: 0, type: "endOfTrack", meta: true });
  return Uint8Array.from(writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: TICKS }, tracks: [track] }));
}

/** Quarter notes of `pitches` in turn for `beats` beats, on channel 0. */
const quarters = (pitches: number[], beats: number): [number, number, number, number][] =>
  Array.from({ length: beats }, (_, b) => [b * TICKS, TICKS - 1, pitches[b % pitches.length], 0]);

describe("score check: what a MIDI score says about its labels", () => {
  it("times notes by the tempo map, and ends notes still sounding at the end", () => {
    // Two beats at 120 BPM (0.5 s each), then 60 BPM (1 s a beat).
    const notes = readMidiNotes(
      midi(
        [
          [0, 48, 60, 0],
          [TICKS * 2, TICKS, 64, 0],
          [TICKS * 3, TICKS, 67, 9],
        ],
        [
          [0, 120],
          [TICKS * 2, 60],
        ],
      ),
    );
    expect(notes.map((n) => [n.start, n.duration, n.pitch, n.channel])).toEqual([
      [0, 0.25, 60, 0],
      [1, 1, 64, 0],
      [2, 1, 67, 9],
    ]);
  });

  it("names a file it cannot read", () => {
    expect(() => readMidiNotes(new TextEncoder().encode("not a MIDI file"), "song.mid")).toThrow(/^song\.mid: not a readable standard MIDI file/);
    expect(() => readMidiNotes(new TextEncoder().encode("MThd, but not a MIDI file"), "song.mid")).toThrow(
      "song.mid: not a readable standard MIDI file (format 29728, expected 0, 1 or 2)",
    );
    // A file cut after its first track: the header promises two.
    const whole = midi(quarters([60], 4));
    const twoTracks = Uint8Array.from(whole);
    twoTracks[11] = 2;
    expect(() => readMidiNotes(twoTracks, "cut.mid")).toThrow("cut.mid: not a readable standard MIDI file (its header declares 2 tracks, it holds 1)");
  });

  it("finds the key the pitches imply, leaving percussion out", () => {
    const C = 60;
    // C major: the tonic triad and the scale; A minor: its tonic triad, scale and leading tone.
    const major = quarters([C, C + 4, C + 7, C + 2, C + 5, C + 9, C + 11, C, C + 4, C + 7], 40);
    expect(keyFromNotes(readMidiNotes(midi(major)))).toMatchObject({ key: "C", mode: "major" });
    const A = 57;
    const minor = quarters([A, A + 3, A + 7, A + 2, A + 5, A + 8, A + 11, A, A + 3, A + 7], 40);
    expect(keyFromNotes(readMidiNotes(midi(minor)))).toMatchObject({ key: "A", mode: "minor" });
    // A drum part on channel 10 (9 here) whose note numbers would spell F# changes nothing.
    const drums: [number, number, number, number][] = Array.from({ length: 200 }, (_, i) => [i * 24, 20, i % 2 ? 42 : 66, 9]);
    expect(keyFromNotes(readMidiNotes(midi([...major, ...drums])))).toMatchObject({ key: "C", mode: "major" });
    expect(keyFromNotes(readMidiNotes(midi(drums)))).toBeNull();
  });

  it("measures the share of the labelled tonic's two thirds", () => {
    // G, Bb, D, B, a beat each: each third a quarter of the time; a blues line without B: none on the major third.
    const notes: ScoreNote[] = readMidiNotes(midi(quarters([67, 70, 74, 71], 4)));
    const thirds = thirdsAbove(notes, pitchClass("G")!);
    expect(thirds.minor).toBeCloseTo(0.25, 6);
    expect(thirds.major).toBeCloseTo(0.25, 6);
    const blues = readMidiNotes(midi(quarters([67, 70, 74, 70], 4)));
    const bluesThirds = thirdsAbove(blues, pitchClass("G")!);
    expect(bluesThirds.major).toBe(0);
    expect(bluesThirds.minor).toBeCloseTo(0.5, 6);
  });

  it("finds the labelled beat in notes that move with it, and not under an ostinato of three sixteenths", () => {
    const bars = 24;
    // Eighth notes with an accent each beat, 120 BPM.
    const straight = readMidiNotes(midi(Array.from({ length: bars * 8 }, (_, i) => [i * (TICKS / 2), TICKS / 2 - 1, i % 2 ? 64 : 60, 0])));
    expect(pulseInNotes(straight, 120)).toBeGreaterThan(0.5);
    // Notes on the first and third sixteenth of every group of three (x.x x.x ...), notated at
    // 120 quarter notes a minute: the notes recur every dotted eighth (160 BPM), never at the quarter.
    const sixteenth = TICKS / 4;
    const ostinato: [number, number, number, number][] = [];
    for (let s = 0; s < bars * 16; s++) if (s % 3 !== 1) ostinato.push([s * sixteenth, sixteenth - 1, s % 3 === 0 ? 60 : 67, 0]);
    const notes = readMidiNotes(midi(ostinato));
    expect(pulseInNotes(notes, 120)).toBeLessThan(NO_PULSE);
    expect(pulseInNotes(notes, 160)).toBeGreaterThan(0.5);
    expect(() => pulseInNotes(notes, 0)).toThrow(/bpm must be positive, got 0/);
  });

  it("finds the score an audio file was rendered from, beside it or one folder up", () => {
    const dir = mkdtempSync(join(tmpdir(), "scores-"));
    mkdirSync(join(dir, "rendered"));
    writeFileSync(join(dir, "tune.mid"), midi(quarters([60], 8)));
    writeFileSync(join(dir, "rendered", "other.midi"), midi(quarters([60], 8)));
    expect(findScore(join(dir, "rendered", "tune.ogg"))).toBe(join(dir, "tune.mid"));
    expect(findScore(join(dir, "rendered", "other.wav"))).toBe(join(dir, "rendered", "other.midi"));
    expect(findScore(join(dir, "rendered", "none.ogg"))).toBeNull();
    // Middle C alone: C major, a C minor label's key scored as the parallel key; no third of C sounds.
    expect(checkScore(join(dir, "tune.mid"), { tempoBpm: 120, key: "C", mode: "minor" })).toEqual({
      keyFromNotes: "C major",
      keyFromNotesScore: 0.2,
      pulseAtLabel: expect.any(Number),
      labelledThirds: { major: 0, minor: 0 },
      thirdAgainstLabel: false,
    });
    expect(checkScore(join(dir, "tune.mid"), { tempoBpm: null, key: null, mode: null })).toMatchObject({
      keyFromNotesScore: null,
      pulseAtLabel: null,
      labelledThirds: null,
      thirdAgainstLabel: null,
    });
  });

  const audio = findSharedDataset("audio");
  it.skipIf(!audio.path)(`on labels.csv: which tempo and key labels the notes of their scores bear out ${audio.reason}`, async () => {
    const labels = await readAudioLabels(resolve(audio.path!, "labels.csv"));
    const pulses: number[] = [];
    let againstThird = 0;
    const fromNotes: number[] = [];
    for (const label of labels) {
      const score = findScore(resolve(audio.path!, label.path));
      if (!score) continue;
      const check = checkScore(score, label);
      if (check.pulseAtLabel !== null) pulses.push(check.pulseAtLabel);
      if (check.thirdAgainstLabel) againstThird++;
      if (check.keyFromNotesScore !== null) fromNotes.push(check.keyFromNotesScore);
    }
    // 22 tempo labels come with a score: the notes of two never recur at their labelled beat,
    // nor at two or four beats; the others' recur clearly (docs/audio.md, "What the labels allow").
    expect(pulses.length).toBe(22);
    expect(pulses.filter((p) => p < NO_PULSE).length).toBe(2);
    expect(Math.min(...pulses.filter((p) => p >= NO_PULSE))).toBeGreaterThan(0.6);
    // 9 key labels: 4 name a major key whose major third the notes play less than its minor third,
    // and the key the pitches imply scores what the audio analysis scores on them (0.62).
    expect(fromNotes.length).toBe(9);
    expect(againstThird).toBe(4);
    expect(fromNotes.reduce((a, b) => a + b, 0) / fromNotes.length).toBeCloseTo(5.6 / 9, 6);
  });
});
