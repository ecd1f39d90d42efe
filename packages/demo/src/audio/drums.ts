/** One-shot drum sounds, synthesized once per clip and mixed in at exact beat positions. */
import type { Random } from "@deepcuts/models/core";

export interface DrumKit {
  kick: Float32Array;
  snare: Float32Array;
  hat: Float32Array;
}

/** Kick: a sine whose pitch falls fast to `kickHz`; snare: a tone at `snareHz` under a burst of
 * noise; hat: differenced (high-passed) noise with a very short decay. The caller tunes kick and
 * snare to the key, as producers do, so the drums add no foreign pitch. */
export function buildDrumKit(sampleRate: number, random: Random, brightness: number, kickHz: number, snareHz: number): DrumKit {
  const kick = new Float32Array(Math.floor(0.25 * sampleRate));
  let phase = 0;
  for (let i = 0; i < kick.length; i++) {
    const t = i / sampleRate;
    const hz = kickHz * (1 + 2 * Math.exp(-t / 0.025));
    phase += (2 * Math.PI * hz) / sampleRate;
    kick[i] = Math.sin(phase) * Math.exp(-t / 0.12);
  }
  const snare = new Float32Array(Math.floor(0.2 * sampleRate));
  for (let i = 0; i < snare.length; i++) {
    const t = i / sampleRate;
    snare[i] = (random() * 2 - 1) * 0.7 * Math.exp(-t / 0.06) + Math.sin(2 * Math.PI * snareHz * t) * 0.5 * Math.exp(-t / 0.04);
  }
  const hat = new Float32Array(Math.floor(0.06 * sampleRate));
  const hatDecay = 0.008 + 0.012 * brightness;
  let previous = 0;
  for (let i = 0; i < hat.length; i++) {
    const noise = random() * 2 - 1;
    hat[i] = (noise - previous) * 0.5 * Math.exp(-(i / sampleRate) / hatDecay);
    previous = noise;
  }
  return { kick, snare, hat };
}

export function mixHit(out: Float32Array, sound: Float32Array, at: number, gain: number): void {
  const end = Math.min(out.length, at + sound.length);
  for (let i = Math.max(0, at); i < end; i++) out[i] += gain * sound[i - at];
}
