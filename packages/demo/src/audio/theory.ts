/** Just enough music theory to write a progression that names its key unambiguously. */
import type { Mode, PitchClass } from "../types.ts";

export const PITCH_CLASS_NAMES: PitchClass[] = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

export function pitchClassIndex(name: PitchClass): number {
  const index = PITCH_CLASS_NAMES.indexOf(name);
  if (index < 0) throw new RangeError(`pitch class must be one of ${PITCH_CLASS_NAMES.join(" ")}, got ${String(name)}`);
  return index;
}

/** Equal temperament at A4 = 440 Hz (MIDI note 69). */
export function midiToHz(note: number): number {
  return 440 * Math.pow(2, (note - 69) / 12);
}

export interface Chord {
  /** Semitones of the chord root above the tonic. */
  root: number;
  /** Semitones of the chord tones above the chord root. */
  tones: number[];
}

const MAJOR_TRIAD = [0, 4, 7];
const MINOR_TRIAD = [0, 3, 7];

/** I, IV and V in major; i, iv and a major V (harmonic minor) in minor: the raised leading
 * tone tells a minor key from its relative major. */
function degreeChords(mode: Mode): { tonic: Chord; subdominant: Chord; dominant: Chord } {
  const triad = mode === "major" ? MAJOR_TRIAD : MINOR_TRIAD;
  return { tonic: { root: 0, tones: triad }, subdominant: { root: 5, tones: triad }, dominant: { root: 7, tones: MAJOR_TRIAD } };
}

/** Four-bar progressions in which the tonic chord holds half of the bars. */
export function progression(mode: Mode, variant: number): Chord[] {
  const { tonic: I, subdominant: IV, dominant: V } = degreeChords(mode);
  const variants = [
    [I, I, IV, V],
    [I, IV, I, V],
    [I, V, I, IV],
    [I, IV, V, I],
  ];
  return variants[((variant % variants.length) + variants.length) % variants.length];
}
