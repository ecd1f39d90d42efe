import { decodeAudio } from "./decode.ts";
import { essentiaHeapBytes, freeVectors, loadEssentia, withVector, type EssentiaInstance, type EssentiaVector } from "./essentia-loader.ts";
import { SilentAudioError, TooShortAudioError } from "./errors.ts";
import { integratedLoudness, replayGainDb } from "./loudness.ts";
import type { MelSpectrogram } from "./mel.ts";
import { onsetEnvelope, pickOnsets, spectralFlux } from "./onset.ts";
import { resample } from "./resample.ts";
import { LOG_MEL_SETTINGS, logMelSpectrogram } from "./spectrogram.ts";
import { chooseOctave, envelopeAutocorrelation, refineTempo, tempoConfidence, trackBeats } from "./tempo.ts";

/** Analysis settings; every field has a default in DEFAULT_ANALYSIS_OPTIONS. */
export interface AnalysisOptions {
  /** Longer inputs are analysed over this many seconds from their middle. */
  excerptSeconds: number;
  /** Shorter inputs are rejected with TooShortAudioError. */
  minSeconds: number;
  /** An excerpt whose RMS level is below this (dBFS) is rejected with SilentAudioError. */
  silenceDb: number;
  /** Skip the log-mel spectrogram (features only). */
  spectrogram: boolean;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  excerptSeconds: 30,
  minSeconds: 2,
  silenceDb: -60,
  spectrogram: true,
};

/** Features of one track, computed over its excerpt; times are seconds from the input's start. */
export interface AudioAnalysis {
  durationSeconds: number;
  excerpt: { startSeconds: number; seconds: number };
  tempo: { bpm: number; confidence: number };
  key: string;
  mode: "major" | "minor";
  keyStrength: number;
  loudness: { integratedLufs: number; replayGainDb: number };
  /** essentia's Danceability (detrended fluctuation analysis) over the middle 15 s, about 0..3. */
  danceability: number;
  /** Mean square of the excerpt's samples (essentia's Energy divided by the sample count). */
  energy: number;
  /** essentia's DynamicComplexity: mean deviation from the global loudness, in dB. */
  dynamicComplexity: number;
  /** Detected onsets per second. */
  onsetRate: number;
  beats: number[];
  /** 96-band log-mel spectrogram of the excerpt (settings in LOG_MEL_SETTINGS); null if disabled. */
  melSpectrogram: MelSpectrogram | null;
}

const ANALYSIS_RATE = LOG_MEL_SETTINGS.sampleRate;
/**
 * Percival's tempo and the danceability run on the middle 15 s of the excerpt: on labels.csv
 * this gave the same tempo accuracy as 30 s at half the CPU time (docs/audio.md).
 */
const CORE_SECONDS = 15;

/** Runs one essentia algorithm, turning its bare-number WASM exceptions into named errors. */
function essentiaCall<T>(name: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new Error(`essentia ${name} failed with a WASM exception (${String(error)})`);
  }
}

function rmsDb(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return 10 * Math.log10(sum / samples.length || 1e-30);
}

/**
 * Receives each timed stage's CPU milliseconds as it ends (the benchmark's per-stage table).
 * Process CPU time, so it is per stage only while one thread works; wall time would count other
 * jobs on a shared machine. A separate argument, not an option: options travel to worker threads.
 */
export type StageTimer = (stage: string, cpuMs: number) => void;

function timed<T>(onStage: StageTimer | undefined, stage: string, run: () => T): T {
  if (!onStage) return run();
  const start = process.cpuUsage();
  try {
    return run();
  } finally {
    const used = process.cpuUsage(start);
    onStage(stage, (used.user + used.system) / 1000);
  }
}

/**
 * Analyses mono samples: tempo, key, loudness, danceability, energy, dynamic complexity, onset
 * rate, beats and the log-mel spectrogram. `label` names the input in error messages; `onStage`
 * is told each stage's CPU time.
 */
export function analyseAudio(
  samples: Float32Array,
  sampleRate: number,
  options: Partial<AnalysisOptions> = {},
  label = "audio",
  onStage?: StageTimer,
): AudioAnalysis {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  if (!(o.excerptSeconds >= o.minSeconds && o.minSeconds > 0)) {
    throw new RangeError(`excerptSeconds must be >= minSeconds > 0, got ${o.excerptSeconds} and ${o.minSeconds}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 4000) throw new RangeError(`sampleRate must be an integer >= 4000 Hz, got ${sampleRate}`);
  const durationSeconds = samples.length / sampleRate;
  if (durationSeconds < o.minSeconds) {
    throw new TooShortAudioError(`${label}: ${durationSeconds.toFixed(2)} s of audio, at least ${o.minSeconds} s needed`);
  }
  const excerptLength = Math.min(samples.length, Math.round(o.excerptSeconds * sampleRate));
  const excerptStart = Math.floor((samples.length - excerptLength) / 2);
  const excerpt = samples.subarray(excerptStart, excerptStart + excerptLength);
  const level = rmsDb(excerpt);
  if (level < o.silenceDb) {
    throw new SilentAudioError(`${label}: excerpt RMS level ${level.toFixed(1)} dBFS is below the ${o.silenceDb} dBFS silence threshold`);
  }

  const integratedLufs = timed(onStage, "loudness", () => integratedLoudness(excerpt, sampleRate));
  const audio = timed(onStage, "resample", () => (sampleRate === ANALYSIS_RATE ? excerpt : resample(excerpt, sampleRate, ANALYSIS_RATE)));
  const melSpectrogram = timed(onStage, "spectrogram", () => logMelSpectrogram(audio));
  const frameRate = ANALYSIS_RATE / LOG_MEL_SETTINGS.hopSize;
  const flux = spectralFlux(melSpectrogram);
  const envelope = onsetEnvelope(melSpectrogram, flux);
  const acf = envelopeAutocorrelation(flux, Math.ceil((4 * 60 * frameRate) / 40));

  const { essentia } = loadEssentia();
  const coreLength = Math.min(audio.length, CORE_SECONDS * ANALYSIS_RATE);
  const coreStart = Math.floor((audio.length - coreLength) / 2);
  const features = withVector(essentia, audio, (signal) =>
    withVector(essentia, audio.subarray(coreStart, coreStart + coreLength), (core) => essentiaFeatures(essentia, signal, core, onStage)),
  );
  const onsets = pickOnsets(envelope, frameRate);
  const onsetRate = onsets.length / (excerptLength / sampleRate);
  const bpm = timed(onStage, "tempo", () => refineTempo(chooseOctave(features.percivalBpm, acf, frameRate, onsetRate), acf, frameRate));
  const beats = timed(onStage, "beats", () => trackBeats(envelope, frameRate, bpm));
  // Envelope frame t describes the window centred half a frame after its start.
  const startSeconds = excerptStart / sampleRate + LOG_MEL_SETTINGS.frameSize / 2 / ANALYSIS_RATE;
  return {
    durationSeconds,
    excerpt: { startSeconds: excerptStart / sampleRate, seconds: excerptLength / sampleRate },
    tempo: { bpm, confidence: tempoConfidence(acf, frameRate, bpm) },
    key: features.key,
    mode: features.mode,
    keyStrength: features.keyStrength,
    loudness: { integratedLufs, replayGainDb: replayGainDb(integratedLufs) },
    danceability: features.danceability,
    energy: features.energy,
    dynamicComplexity: features.dynamicComplexity,
    onsetRate,
    beats: Array.from(beats, (t) => startSeconds + t),
    melSpectrogram: o.spectrogram ? melSpectrogram : null,
  };
}

/** The features essentia computes on the 16 kHz excerpt and its core; returned vectors are freed. */
function essentiaFeatures(essentia: EssentiaInstance, signal: EssentiaVector, core: EssentiaVector, onStage: StageTimer | undefined) {
  // Percival & Tzanetakis 2014 with its 44.1 kHz frame and hop sizes scaled to 16 kHz.
  const percivalBpm = timed(onStage, "percival", () =>
    essentiaCall("PercivalBpmEstimator", () => essentia.PercivalBpmEstimator(core, 512, 512, 128, 128, 210, 50, ANALYSIS_RATE).bpm),
  );
  // The 'tonictriad' profile with a 36-bin HPCP scored best on labels.csv (docs/audio.md);
  // 4096-sample frames at 16 kHz resolve 3.9 Hz, enough for semitones above 65 Hz.
  const key = timed(onStage, "key", () =>
    essentiaCall("KeyExtractor", () => essentia.KeyExtractor(signal, true, 4096, 4096, 36, 3500, 60, 25, 0.2, "tonictriad", ANALYSIS_RATE)),
  );
  const danceability = timed(onStage, "danceability", () =>
    essentiaCall("Danceability", () => {
      const result = essentia.Danceability(core, 8800, 310, ANALYSIS_RATE, 1.1);
      freeVectors(result);
      return result.danceability;
    }),
  );
  const dynamics = timed(onStage, "dynamicComplexity", () => essentiaCall("DynamicComplexity", () => essentia.DynamicComplexity(signal, 0.2, ANALYSIS_RATE)));
  const energy = essentiaCall("Energy", () => essentia.Energy(signal).energy) / signal.size();
  return {
    percivalBpm,
    key: key.key,
    mode: key.scale === "minor" ? ("minor" as const) : ("major" as const),
    keyStrength: key.strength,
    danceability,
    dynamicComplexity: dynamics.dynamicComplexity,
    energy,
  };
}

/** Decodes a file (WAV, OGG Vorbis, MP3, FLAC) and analyses it; errors name the path. `onStage` as in `analyseAudio`, plus "decode". */
export async function analyseFile(path: string, options: Partial<AnalysisOptions> = {}, onStage?: StageTimer): Promise<AudioAnalysis> {
  const start = process.cpuUsage();
  const { samples, sampleRate } = await decodeAudio(path);
  const used = process.cpuUsage(start);
  onStage?.("decode", (used.user + used.system) / 1000);
  return analyseAudio(samples, sampleRate, options, path, onStage);
}

export { essentiaHeapBytes };
