import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { parseMidi, type MidiEvent } from "midi-file";
import { mirexKeyScore, pitchClass, type AudioLabel } from "./labels.ts";
import { LOG_MEL_SETTINGS } from "./spectrogram.ts";
import { envelopeAutocorrelation, tempoConfidence } from "./tempo.ts";

// Checks a label against the notes of the score it came from. labels.csv's tempo and key of a
// rendered MIDI file are what the file notates (its tempo meta event, in quarter notes, and its
// key signature), which is not always what sounds: a tune notated in G major that never plays a
// B natural, or a quarter-note tempo under an ostinato of three sixteenths. Reading the notes
// themselves says what the best possible listener could hear in them, so it bounds what any
// audio analysis can score against such labels (docs/audio.md, "What the labels allow").

/** One note of a MIDI file, in seconds from its start (tempo changes applied). */
export interface ScoreNote {
  start: number;
  duration: number;
  /** MIDI note number (60 = middle C). */
  pitch: number;
  /** 0-based; 9 is General MIDI's percussion channel. */
  channel: number;
  velocity: number;
}

const PERCUSSION_CHANNEL = 9;

/**
 * The notes of a standard MIDI file (formats 0 and 1), timed by its tempo map (120 BPM until
 * the first tempo event). A note still sounding at the end of its track ends there.
 */
export function readMidiNotes(bytes: Uint8Array, label = "MIDI file"): ScoreNote[] {
  let midi: ReturnType<typeof parseMidi>;
  try {
    midi = parseMidi(bytes);
  } catch (error) {
    throw new Error(`${label}: not a readable standard MIDI file (${error instanceof Error ? error.message : String(error)})`);
  }
  // midi-file reads what it can: a bad header gives a nonsense format, a cut file fewer tracks.
  const numTracks = midi.header.numTracks;
  const format: number = midi.header.format;
  if (format !== 0 && format !== 1 && format !== 2) throw new Error(`${label}: not a readable standard MIDI file (format ${format}, expected 0, 1 or 2)`);
  if (midi.tracks.length !== numTracks) {
    throw new Error(`${label}: not a readable standard MIDI file (its header declares ${numTracks} tracks, it holds ${midi.tracks.length})`);
  }
  const ticksPerBeat = midi.header.ticksPerBeat;
  if (!ticksPerBeat) throw new Error(`${label}: SMPTE time division is not supported, only ticks per quarter note`);
  // Every event at its absolute tick, in tick order (a stable sort keeps each track's order).
  const events: { tick: number; event: MidiEvent }[] = [];
  for (const track of midi.tracks) {
    let tick = 0;
    for (const event of track) {
      tick += event.deltaTime;
      events.push({ tick, event });
    }
  }
  events.sort((a, b) => a.tick - b.tick);
  let secondsPerTick = 0.5 / ticksPerBeat,
    lastTick = 0,
    seconds = 0;
  const sounding = new Map<number, { start: number; velocity: number }[]>();
  const notes: ScoreNote[] = [];
  const end = (channel: number, pitch: number, at: number) => {
    const open = sounding.get(channel * 128 + pitch)?.shift();
    if (open) notes.push({ start: open.start, duration: at - open.start, pitch, channel, velocity: open.velocity });
  };
  for (const { tick, event } of events) {
    seconds += (tick - lastTick) * secondsPerTick;
    lastTick = tick;
    if (event.type === "setTempo") secondsPerTick = event.microsecondsPerBeat / 1e6 / ticksPerBeat;
    else if (event.type === "noteOn" && event.velocity > 0) {
      const key = event.channel * 128 + event.noteNumber;
      const open = sounding.get(key) ?? [];
      open.push({ start: seconds, velocity: event.velocity });
      sounding.set(key, open);
    } else if (event.type === "noteOn" || event.type === "noteOff") end(event.channel, event.noteNumber, seconds);
  }
  for (const [key, open] of sounding) for (let i = open.length; i > 0; i--) end(Math.floor(key / 128), key % 128, seconds);
  return notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

const NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
// Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, shift: number): number {
  let ma = 0,
    mb = 0;
  for (let i = 0; i < 12; i++) {
    ma += a[(i + shift) % 12] / 12;
    mb += b[i] / 12;
  }
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < 12; i++) {
    const x = a[(i + shift) % 12] - ma,
      y = b[i] - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * The key the pitches themselves imply: the duration-weighted pitch-class profile of every
 * pitched note (the percussion channel left out) correlated with the Krumhansl-Kessler major and
 * minor profiles in all 24 keys (Krumhansl 1990's key-finding algorithm); null without pitched notes.
 */
export function keyFromNotes(notes: readonly ScoreNote[]): { key: string; mode: "major" | "minor"; correlation: number } | null {
  const profile = new Float64Array(12);
  for (const n of notes) if (n.channel !== PERCUSSION_CHANNEL) profile[n.pitch % 12] += n.duration;
  if (!profile.some((v) => v > 0)) return null;
  let best: { key: string; mode: "major" | "minor"; correlation: number } | null = null;
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [mode, weights] of [
      ["major", MAJOR],
      ["minor", MINOR],
    ] as const) {
      const correlation = pearson(profile, weights, tonic);
      if (!best || correlation > best.correlation) best = { key: NAMES[tonic], mode, correlation };
    }
  }
  return best;
}

/** Frames per second of the onset trains (the audio analysis's own onset frame rate). */
const FRAME_RATE = 16_000 / LOG_MEL_SETTINGS.hopSize;

/**
 * How strongly the notes' onsets repeat at `bpm`: the onset train (each note's velocity at its
 * start frame, every channel) autocorrelated as the audio analysis autocorrelates its onset
 * envelope, and the largest value at one, two or four beats (a beat, a half bar, a bar of 4/4).
 * About 0.5-0.9 where the notes move with the beat, near 0 where nothing recurs at that period.
 * Coarse by design, as the audio's: periods within about 10% of each other (3 frames of a beat's
 * 31 at 120 BPM) share a peak, so it tells a beat from one a third faster, not 120 from 132 BPM.
 */
export function pulseInNotes(notes: readonly ScoreNote[], bpm: number): number {
  if (!(bpm > 0)) throw new RangeError(`bpm must be positive, got ${bpm}`);
  const last = notes.reduce((m, n) => Math.max(m, n.start), 0);
  const train = new Float32Array(Math.ceil(last * FRAME_RATE) + 1);
  for (const n of notes) train[Math.round(n.start * FRAME_RATE)] += n.velocity / 127;
  const acf = envelopeAutocorrelation(train, Math.ceil((4 * 60 * FRAME_RATE) / bpm) + 2);
  return Math.max(...[1, 2, 4].map((beats) => tempoConfidence(acf, FRAME_RATE, bpm / beats)));
}

/**
 * The MIDI score an audio file was rendered from, where one lies beside it or in the folder
 * above with the same name and a .mid or .midi extension (openmsx/rendered_timgm6mb/x.ogg and
 * openmsx/x.mid); null when there is none.
 */
export function findScore(audioPath: string): string | null {
  const stem = basename(audioPath, extname(audioPath));
  for (const folder of [dirname(audioPath), dirname(dirname(audioPath))]) {
    for (const ext of [".mid", ".midi"]) {
      const path = join(folder, stem + ext);
      if (existsSync(path)) return path;
    }
  }
  return null;
}

/** The share of pitched note time (0..1) on the major and on the minor third above `tonic`. */
export function thirdsAbove(notes: readonly ScoreNote[], tonic: number): { major: number; minor: number } {
  let total = 0,
    major = 0,
    minor = 0;
  for (const n of notes) {
    if (n.channel === PERCUSSION_CHANNEL) continue;
    total += n.duration;
    const interval = (n.pitch - tonic + 120) % 12;
    if (interval === 4) major += n.duration;
    else if (interval === 3) minor += n.duration;
  }
  return total > 0 ? { major: major / total, minor: minor / total } : { major: 0, minor: 0 };
}

/** Onset recurrence below this at the labelled tempo: the label's beat is not in the notes (the others score 0.6-1.0 on labels.csv). */
export const NO_PULSE = 0.3;

/** What a file's score says about its labels. */
export interface ScoreCheck {
  /** The score, relative to the dataset folder. */
  score: string;
  /** The key its pitches imply (keyFromNotes). */
  keyFromNotes: string | null;
  /** The MIREX score of that key against the key label; null without either. */
  keyFromNotesScore: number | null;
  /** Onset recurrence at the labelled tempo (pulseInNotes); null without a tempo label. */
  pulseAtLabel: number | null;
  /**
   * Share of pitched note time on the labelled tonic's major and minor thirds; null without a key
   * label. A "major" label whose major third is played less than its minor third names the
   * notation (a blues notated in major), not what sounds.
   */
  labelledThirds: { major: number; minor: number } | null;
  /** The labelled mode's third is played less than the other third; null without a key label. */
  thirdAgainstLabel: boolean | null;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Reads `scorePath` and checks it against a file's labels (tempo, key and mode; null: unknown). */
export function checkScore(scorePath: string, label: Pick<AudioLabel, "tempoBpm" | "key" | "mode">): Omit<ScoreCheck, "score"> {
  const notes = readMidiNotes(new Uint8Array(readFileSync(scorePath)), scorePath);
  const found = keyFromNotes(notes);
  const keyLabel = label.key !== null && label.mode !== null ? { key: label.key, mode: label.mode } : null;
  const thirds = keyLabel ? thirdsAbove(notes, pitchClass(keyLabel.key)!) : null;
  return {
    keyFromNotes: found ? `${found.key} ${found.mode}` : null,
    keyFromNotesScore: found && keyLabel ? mirexKeyScore(keyLabel, found) : null,
    pulseAtLabel: label.tempoBpm === null ? null : round3(pulseInNotes(notes, label.tempoBpm)),
    labelledThirds: thirds ? { major: round3(thirds.major), minor: round3(thirds.minor) } : null,
    thirdAgainstLabel: thirds ? (keyLabel!.mode === "major" ? thirds.major < thirds.minor : thirds.minor < thirds.major) : null,
  };
}
