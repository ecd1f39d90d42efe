import { seededRandom } from "../core/random.ts";
import { pitchClass } from "./labels.ts";

/**
 * Synthetic music with a known answer (tempo, beats, key), for tests and for the demo world:
 * clicks, a drum loop, and a chord progression with a bass line.
 */

/** Clicks (5 ms decaying 1.5 kHz bursts) at every beat, starting at `offsetSeconds`. */
export function clickTrack(bpm: number, seconds: number, sampleRate: number, offsetSeconds = 0.1): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const clickLength = Math.round(0.005 * sampleRate);
  for (let beat = offsetSeconds; beat < seconds; beat += 60 / bpm) {
    const start = Math.round(beat * sampleRate);
    for (let i = 0; i < clickLength && start + i < out.length; i++) {
      out[start + i] += 0.8 * Math.sin((2 * Math.PI * 1500 * i) / sampleRate) * Math.exp(-i / (0.001 * sampleRate));
    }
  }
  return out;
}

function addKick(out: Float32Array, at: number, sampleRate: number, gain: number) {
  const length = Math.round(0.15 * sampleRate);
  let phase = 0;
  for (let i = 0; i < length && at + i < out.length; i++) {
    const t = i / sampleRate;
    phase += (2 * Math.PI * (50 + 100 * Math.exp(-t / 0.02))) / sampleRate; // pitch drop 150 -> 50 Hz
    out[at + i] += gain * Math.sin(phase) * Math.exp(-t / 0.05);
  }
}

function addNoise(out: Float32Array, at: number, sampleRate: number, gain: number, decay: number, random: () => number, highPass: boolean) {
  const length = Math.round(6 * decay * sampleRate);
  let previous = 0;
  for (let i = 0; i < length && at + i < out.length; i++) {
    const white = 2 * random() - 1;
    const value = highPass ? white - previous : white; // first difference: a crude high-pass for hats
    previous = white;
    out[at + i] += gain * value * Math.exp(-i / (decay * sampleRate));
  }
}

const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
const HARMONIC_MINOR_SCALE = [0, 2, 3, 5, 7, 8, 11];

/**
 * A loop in the manner of the demo world's tracks: kick on beats 1 and 3, snare on 2 and 4,
 * hi-hat on eighths, and a I-IV-V-I (major) or i-iv-V-i (minor) progression, one chord per
 * bar, as sustained triads with a bass note on each beat.
 */
export function synthesizeTrack(options: {
  bpm: number;
  key: string;
  mode: "major" | "minor";
  seconds: number;
  sampleRate: number;
  seed?: number;
  drums?: boolean;
}): Float32Array {
  const { bpm, key, mode, seconds, sampleRate } = options;
  const tonic = pitchClass(key);
  if (tonic === null) throw new RangeError(`key must be a pitch name like C, F# or Bb, got '${key}'`);
  const random = seededRandom(options.seed ?? 1);
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const beat = 60 / bpm;
  const scale = mode === "major" ? MAJOR_SCALE : HARMONIC_MINOR_SCALE;
  const degrees = [0, 3, 4, 0]; // I IV V I
  const midi = (semitone: number) => 440 * 2 ** ((semitone - 69) / 12);
  for (let bar = 0; bar * 4 * beat < seconds; bar++) {
    const degree = degrees[bar % degrees.length];
    const triad = [0, 2, 4].map((step) => scale[(degree + step) % 7] + 12 * Math.floor((degree + step) / 7));
    const barStart = bar * 4 * beat;
    // Chord: three voices around middle C, with two harmonics each, decaying over the bar.
    for (const semitone of triad) {
      const frequency = midi(60 + tonic + semitone);
      addTone(out, barStart, 4 * beat, frequency, 0.12, sampleRate, 1.5);
    }
    for (let b = 0; b < 4; b++) {
      const t = barStart + b * beat;
      addTone(out, t, beat * 0.9, midi(36 + tonic + triad[0]), 0.25, sampleRate, 0.3);
      if (options.drums === false) continue;
      const at = Math.round(t * sampleRate);
      if (b % 2 === 0) addKick(out, at, sampleRate, 0.7);
      else addNoise(out, at, sampleRate, 0.35, 0.03, random, false);
      addNoise(out, at, sampleRate, 0.12, 0.008, random, true);
      addNoise(out, Math.round((t + beat / 2) * sampleRate), sampleRate, 0.08, 0.008, random, true);
    }
  }
  return out;
}

function addTone(out: Float32Array, startSeconds: number, seconds: number, frequency: number, gain: number, sampleRate: number, decay: number) {
  const start = Math.round(startSeconds * sampleRate);
  const length = Math.round(seconds * sampleRate);
  const nyquist = sampleRate / 2;
  for (let i = 0; i < length && start + i < out.length; i++) {
    const t = i / sampleRate;
    const envelope = Math.min(1, t / 0.01) * Math.exp(-t / decay);
    let value = Math.sin(2 * Math.PI * frequency * t);
    if (2 * frequency < nyquist) value += 0.5 * Math.sin(4 * Math.PI * frequency * t);
    if (3 * frequency < nyquist) value += 0.25 * Math.sin(6 * Math.PI * frequency * t);
    out[start + i] += gain * envelope * value;
  }
}

/** 16-bit PCM WAV bytes of one or more equal-length channels. */
export function encodeWav(channels: Float32Array[], sampleRate: number): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const bytes = new Uint8Array(44 + frames * channels.length * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, bytes.length - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels.length * 2, true);
  view.setUint16(32, channels.length * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, frames * channels.length * 2, true);
  for (let i = 0, at = 44; i < frames; i++) {
    for (const channel of channels) {
      view.setInt16(at, Math.round(Math.max(-1, Math.min(1, channel[i])) * 32767), true);
      at += 2;
    }
  }
  return bytes;
}
