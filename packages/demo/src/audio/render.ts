/** renderTrackAudio: a short mono clip whose tempo, key and mode are exactly the track's. */
import { streamRandom } from "../draw.ts";
import type { DemoGenre, DemoTimbre, DemoTrack, DemoWorld } from "../types.ts";
import { buildDrumKit, mixHit } from "./drums.ts";
import { midiToHz, pitchClassIndex, progression, type Chord } from "./theory.ts";
import { buildWavetable, renderNote, type Note } from "./wavetable.ts";

export interface RenderOptions {
  /** Samples per second (default 11025: a quarter of 44.1 kHz, so upsampling is exact x4). */
  sampleRate?: number;
  /** Clip length in seconds (default 10). */
  seconds?: number;
}

export const DEFAULT_SAMPLE_RATE = 11_025;
export const DEFAULT_CLIP_SECONDS = 10;
const PEAK = 0.95;

type Step = number; // position in sixteenths within a bar, 0..15
const DRUM_PATTERNS: Record<DemoTimbre["drumPattern"], { kick: Step[]; snare: Step[]; extraKick: Step }> = {
  "four-on-floor": { kick: [0, 4, 8, 12], snare: [4, 12], extraKick: 14 },
  backbeat: { kick: [0, 8], snare: [4, 12], extraKick: 10 },
  breakbeat: { kick: [0, 10], snare: [4, 12], extraKick: 7 },
  "boom-bap": { kick: [0, 7, 10], snare: [4, 12], extraKick: 15 },
};

function checkOptions(track: DemoTrack, options: RenderOptions): { sampleRate: number; seconds: number } {
  const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const seconds = options.seconds ?? DEFAULT_CLIP_SECONDS;
  if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 96_000) {
    throw new RangeError(`sampleRate must be an integer 4000..96000, got ${sampleRate}`);
  }
  if (!(seconds > 0 && seconds <= 120)) throw new RangeError(`seconds must be in (0, 120], got ${seconds}`);
  if (!(track.tempo >= 30 && track.tempo <= 300)) {
    throw new RangeError(`track ${track.key} tempo must be 30..300 BPM, got ${track.tempo}`);
  }
  return { sampleRate, seconds };
}

function bassWave(kind: DemoTimbre["bassWave"]): DemoTimbre["wave"] {
  return { sine: kind === "sine" ? 1 : 0.3, saw: kind === "saw" ? 0.7 : 0, square: kind === "square" ? 0.7 : 0 };
}

/**
 * Synthesizes `seconds` of the track: drums on the exact beat grid of `track.tempo`, a bass and
 * chords following a four-bar progression in `track.musicalKey`/`track.mode` (tonic chord on half
 * the bars, bass on the chord roots), in the genre's timbre. Deterministic for (world.seed,
 * track.key); mono, peak-normalised into [-1, 1].
 */
export function renderTrackAudio(track: DemoTrack, world: Pick<DemoWorld, "seed" | "genres">, options: RenderOptions = {}): Float32Array {
  const { sampleRate, seconds } = checkOptions(track, options);
  const genre: DemoGenre | undefined = world.genres.find((g) => g.key === track.genre);
  if (!genre) throw new RangeError(`track ${track.key} has genre '${track.genre}', not in the world's genres`);
  const timbre = genre.timbre;
  const random = streamRandom(world.seed, `audio:${track.key}`);
  const out = new Float32Array(Math.round(seconds * sampleRate));

  // Per-track variation: brightness, progression, an extra kick, levels, where the clip starts.
  const brightness = Math.min(1, Math.max(0, timbre.brightness + (random() - 0.5) * 0.2));
  const chords = progression(track.mode, Math.floor(random() * 4));
  const extraKick = random() < 0.5;
  const chordGain = 0.4 * (0.85 + 0.3 * random());
  const bassGain = 0.4 * (0.85 + 0.3 * random());
  const beat = (60 * sampleRate) / track.tempo;
  const offset = Math.floor(random() * beat);

  const tonic = pitchClassIndex(track.musicalKey);
  const chordBase = 48 + tonic + (tonic < 4 ? 12 : 0); // chord roots E3..D#4
  const bassBase = 36 + tonic; // C2..B2
  const chordTable = buildWavetable(timbre.wave, brightness, midiToHz(chordBase + 7 + 7 + 12), sampleRate);
  const bassTable = buildWavetable(bassWave(timbre.bassWave), brightness * 0.7, midiToHz(bassBase + 19), sampleRate);
  const leadTable = buildWavetable({ sine: 1, saw: 0, square: 0 }, 0, midiToHz(chordBase + 26), sampleRate);
  // Kick on the tonic (E1..D#2), snare on the key's fifth.
  const kit = buildDrumKit(sampleRate, random, brightness, midiToHz(bassBase - 12 + (tonic < 4 ? 12 : 0)), midiToHz(bassBase + 19));
  const at = (beats: number) => offset + Math.round(beats * beat);
  const swung = (step: Step) => step / 4 + (step % 4 === 2 ? timbre.swing * 0.5 : step % 2 === 1 ? timbre.swing * 0.25 : 0);
  const seconds2samples = (s: number) => Math.max(1, Math.round(s * sampleRate));

  const bars = Math.ceil(out.length / (4 * beat)) + 1;
  const pattern = DRUM_PATTERNS[timbre.drumPattern];
  for (let bar = -1; bar < bars; bar++) {
    const chord: Chord = chords[((bar % 4) + 4) % 4];
    const barBeat = bar * 4;
    const note = (beats: number, lengthBeats: number, midi: number, gain: number, attackS: number, decayS: number): Note => ({
      startSample: at(barBeat + beats),
      lengthSamples: Math.max(1, Math.round(lengthBeats * beat)),
      hz: midiToHz(midi),
      gain,
      attackSamples: seconds2samples(attackS),
      decaySamples: Number.isFinite(decayS) ? decayS * sampleRate : Infinity,
    });
    const tones = chord.tones.map((t) => chordBase + chord.root + t - (chord.root > 5 ? 12 : 0));
    if (timbre.chordStyle === "pad") {
      for (const m of tones) renderNote(out, chordTable, note(0, 4, m, chordGain / 3, 0.04, Infinity), sampleRate);
    } else if (timbre.chordStyle === "stab") {
      const offBeat = timbre.drumPattern === "four-on-floor";
      for (let b = 0; b < 4; b++) {
        const start = b + (offBeat ? swung(2) : 0);
        for (const m of tones) renderNote(out, chordTable, note(start, 0.45, m, chordGain / 2.5, 0.005, 0.15), sampleRate);
      }
    } else {
      const order = [0, 1, 2, 1, 0, 2, 1, 2];
      for (let e = 0; e < 8; e++) {
        const m = tones[order[e]] + (e === 5 ? 12 : 0);
        renderNote(out, chordTable, note(swung(e * 2), 0.5, m, chordGain / 1.6, 0.003, 0.25), sampleRate);
      }
      // A soft sustained triad under the arpeggio keeps the harmony audible between notes.
      for (const m of tones) renderNote(out, chordTable, note(0, 4, m, chordGain / 8, 0.05, Infinity), sampleRate);
    }

    // A pure-tone lead outlines the key's triad on tonic bars and the chord (back to the tonic)
    // elsewhere, so the mode's third sounds clearly.
    const third = track.mode === "major" ? 4 : 3;
    const lead = chord.root === 0 ? [0, third, 7, third] : [chord.root, chord.root + chord.tones[1], chord.root + 7, 12];
    for (let b = 0; b < 4; b++) {
      renderNote(out, leadTable, note(b, 0.9, chordBase + 12 + lead[b] - (lead[b] > 12 ? 12 : 0), chordGain / 2.5, 0.01, 0.8), sampleRate);
    }

    const bassNote = bassBase + chord.root - (chord.root > 7 ? 12 : 0);
    if (timbre.drumPattern === "four-on-floor") {
      for (let b = 0; b < 4; b++) renderNote(out, bassTable, note(b + swung(2), 0.4, bassNote, bassGain, 0.005, 0.2), sampleRate);
    } else if (timbre.drumPattern === "breakbeat") {
      renderNote(out, bassTable, note(0, 4, bassNote, bassGain, 0.02, Infinity), sampleRate);
    } else if (timbre.drumPattern === "boom-bap") {
      renderNote(out, bassTable, note(0, 1.4, bassNote, bassGain, 0.01, 0.6), sampleRate);
      renderNote(out, bassTable, note(swung(10), 1, bassNote, bassGain * 0.8, 0.01, 0.5), sampleRate);
    } else {
      for (let b = 0; b < 4; b++) {
        renderNote(out, bassTable, note(b, 0.9, bassNote + (b === 3 ? 12 : 0), bassGain, 0.008, 0.5), sampleRate);
      }
    }

    const drums = timbre.drumLevel;
    for (const s of pattern.kick) mixHit(out, kit.kick, at(barBeat + swung(s)), drums);
    if (extraKick) mixHit(out, kit.kick, at(barBeat + swung(pattern.extraKick)), drums * 0.6);
    for (const s of pattern.snare) mixHit(out, kit.snare, at(barBeat + swung(s)), drums * 0.6);
    const hatStep = timbre.hatsPerBeat === 4 ? 1 : 2;
    for (let s = 0; s < 16; s += hatStep) {
      const accent = s % 4 === 2 ? 1 : 0.6;
      mixHit(out, kit.hat, at(barBeat + swung(s)), drums * 0.45 * accent * (0.5 + brightness));
    }
  }

  if (timbre.noiseFloor > 0) {
    for (let i = 0; i < out.length; i++) {
      out[i] += timbre.noiseFloor * (random() * 2 - 1) + (random() < 0.0004 ? (random() - 0.5) * 0.3 : 0);
    }
  }
  let peak = 0;
  for (let i = 0; i < out.length; i++) peak = Math.max(peak, Math.abs(out[i]));
  if (peak > 0) for (let i = 0; i < out.length; i++) out[i] *= PEAK / peak;
  return out;
}
