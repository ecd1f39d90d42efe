/** Band-limited single-cycle wavetables: a timbre's oscillator mix read at any pitch, cheaply. */
import type { DemoTimbre } from "../types.ts";

export const TABLE_SIZE = 2048;
const MAX_HARMONICS = 32;

/**
 * Additive table of harmonics 1..K, K chosen so the highest note played stays below Nyquist
 * (no aliasing). Saw partials fall as 1/k, square as 1/k on odd k (Fourier series); darker
 * timbres roll off faster. Multiples of the 5th harmonic (a major third above the note) are left
 * out: in a minor key they would blur the mode that the clip must convey.
 */
export function buildWavetable(wave: DemoTimbre["wave"], brightness: number, maxHz: number, sampleRate: number): Float32Array {
  const harmonics = Math.max(1, Math.min(MAX_HARMONICS, Math.floor((0.45 * sampleRate) / maxHz)));
  const rolloff = 0.15 + (1 - brightness) * 0.6;
  const table = new Float32Array(TABLE_SIZE + 1);
  for (let k = 1; k <= harmonics; k++) {
    if (k % 5 === 0) continue;
    const amplitude = ((k === 1 ? wave.sine : 0) + wave.saw / k + (k % 2 === 1 ? wave.square / k : 0)) * Math.exp(-(k - 1) * rolloff);
    if (amplitude < 1e-4) continue;
    for (let i = 0; i < TABLE_SIZE; i++) table[i] += amplitude * Math.sin((2 * Math.PI * k * i) / TABLE_SIZE);
  }
  let peak = 0;
  for (let i = 0; i < TABLE_SIZE; i++) peak = Math.max(peak, Math.abs(table[i]));
  for (let i = 0; i < TABLE_SIZE; i++) table[i] /= peak || 1;
  table[TABLE_SIZE] = table[0]; // guard sample for interpolation
  return table;
}

export interface Note {
  startSample: number;
  lengthSamples: number;
  hz: number;
  gain: number;
  attackSamples: number;
  /** Exponential decay time constant in samples (Infinity: sustain). */
  decaySamples: number;
}

/** Adds one note into `out`: linear attack, exponential decay, a short linear release. */
export function renderNote(out: Float32Array, table: Float32Array, note: Note, sampleRate: number): void {
  const end = Math.min(out.length, note.startSample + note.lengthSamples);
  const increment = (note.hz * TABLE_SIZE) / sampleRate;
  const release = Math.min(Math.floor(0.01 * sampleRate), note.lengthSamples >> 1);
  const decay = Number.isFinite(note.decaySamples) ? Math.exp(-1 / note.decaySamples) : 1;
  let phase = 0;
  let level = note.gain;
  for (let i = Math.max(0, note.startSample); i < end; i++) {
    const age = i - note.startSample;
    let envelope = level;
    if (age < note.attackSamples) envelope *= age / note.attackSamples;
    const untilEnd = end - i;
    if (untilEnd < release) envelope *= untilEnd / release;
    const index = phase | 0;
    const frac = phase - index;
    out[i] += envelope * (table[index] + frac * (table[index + 1] - table[index]));
    phase += increment;
    if (phase >= TABLE_SIZE) phase -= TABLE_SIZE;
    level *= decay;
  }
}
