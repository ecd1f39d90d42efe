export { decodeAudio, type DecodedAudio } from "./decode.ts";
export { resample } from "./resample.ts";
export {
  analyzeAudio,
  analyzeFile,
  DEFAULT_ANALYSIS_OPTIONS,
  type AnalysisOptions,
  type AudioAnalysis,
} from "./analyze.ts";
export { essentiaHeapBytes, loadEssentia } from "./essentia-loader.ts";
export {
  AudioAnalysisError,
  CorruptAudioError,
  SilentAudioError,
  TooShortAudioError,
  UnsupportedAudioError,
} from "./errors.ts";
export { AnalysisPool, type AnalysisPoolOptions, type AnalyzeFilesOptions, type FileAnalysisResult, type WorkerMemory } from "./pool.ts";
export { evaluateAudioFeatures, type AudioFeatureEvaluation, type AudioFeatureRow, type EvaluateAudioFeaturesOptions } from "./eval.ts";
export { mirexKeyScore, readAudioLabels, tempoMatch, type AudioLabel } from "./labels.ts";
export { LOG_MEL_SETTINGS, logMelSpectrogram } from "./spectrogram.ts";
export { melBandEnergies, melFilterbank, type MelBandsOptions, type MelFilterbank, type MelSpectrogram } from "./mel.ts";
export { integratedLoudness, replayGainDb } from "./loudness.ts";
export { MAX_BPM, MIN_BPM, trackBeats } from "./tempo.ts";
