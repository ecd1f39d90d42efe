import { melBandEnergies, melFilterbank, type MelBandsOptions, type MelFilterbank, type MelSpectrogram } from "./mel.ts";

/**
 * The network's input: 96 mel bands at 16 kHz, 512-sample (32 ms) Hann frames every 256
 * samples (16 ms, 62.5 frames/s), the settings of MusiCNN's input (Pons & Serra 2019).
 */
export const LOG_MEL_SETTINGS = {
  sampleRate: 16000,
  frameSize: 512,
  hopSize: 256,
  numberBands: 96,
  lowFrequencyBound: 0,
  highFrequencyBound: 8000,
  warpingFormula: "slaneyMel",
  weighting: "linear",
  normalise: "unit_tri",
  type: "magnitude",
} as const satisfies MelBandsOptions & { hopSize: number };

let bank: MelFilterbank | null = null;

/**
 * Log-mel spectrogram of 16 kHz mono samples: log10(1 + 10000 * band magnitude) per band,
 * `frames` rows of 96 values (row-major), as MusiCNN compresses its input.
 */
export function logMelSpectrogram(samples16k: Float32Array): MelSpectrogram {
  bank ??= melFilterbank(LOG_MEL_SETTINGS);
  const spectrogram = melBandEnergies(samples16k, bank, LOG_MEL_SETTINGS.hopSize);
  const { data } = spectrogram;
  for (let i = 0; i < data.length; i++) data[i] = Math.log10(1 + 10000 * data[i]);
  return spectrogram;
}
