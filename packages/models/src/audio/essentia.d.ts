// Type declarations for the parts of essentia.js 0.1.3 we use (the package ships none that
// resolve under Node). Vectors are embind handles living in the WASM heap: free with delete().

declare module "essentia.js/dist/essentia-wasm.umd.js" {
  /** The Emscripten module: its heap views show how much WASM memory is reserved. */
  const EssentiaWASM: { HEAPU8: Uint8Array; [key: string]: unknown };
  export default EssentiaWASM;
}

declare module "essentia.js/dist/essentia.js-core.umd.js" {
  /** A std::vector<float> (or vector of vectors) in the WASM heap. */
  export interface EssentiaVector {
    size(): number;
    get(index: number): number;
    delete(): void;
  }
  export default class Essentia {
    constructor(wasm: unknown, isDebug?: boolean);
    readonly version: string;
    arrayToVector(array: Float32Array): EssentiaVector;
    vectorToArray(vector: EssentiaVector): Float32Array;
    RhythmExtractor2013(
      signal: EssentiaVector,
      maxTempo?: number,
      method?: "multifeature" | "degara",
      minTempo?: number,
    ): { bpm: number; ticks: EssentiaVector; confidence: number; estimates: EssentiaVector; bpmIntervals: EssentiaVector };
    PercivalBpmEstimator(
      signal: EssentiaVector,
      frameSize?: number,
      frameSizeOSS?: number,
      hopSize?: number,
      hopSizeOSS?: number,
      maxBPM?: number,
      minBPM?: number,
      sampleRate?: number,
    ): { bpm: number };
    KeyExtractor(
      audio: EssentiaVector,
      averageDetuningCorrection?: boolean,
      frameSize?: number,
      hopSize?: number,
      hpcpSize?: number,
      maxFrequency?: number,
      maximumSpectralPeaks?: number,
      minFrequency?: number,
      pcpThreshold?: number,
      profileType?: string,
      sampleRate?: number,
      spectralPeaksThreshold?: number,
      tuningFrequency?: number,
      weightType?: string,
      windowType?: string,
    ): { key: string; scale: string; strength: number };
    LoudnessEBUR128(
      leftSignal: EssentiaVector,
      rightSignal: EssentiaVector,
      hopSize?: number,
      sampleRate?: number,
      startAtZero?: boolean,
    ): { momentaryLoudness: EssentiaVector; shortTermLoudness: EssentiaVector; integratedLoudness: number; loudnessRange: number };
    ReplayGain(signal: EssentiaVector, sampleRate?: number): { replayGain: number };
    Danceability(
      signal: EssentiaVector,
      maxTau?: number,
      minTau?: number,
      sampleRate?: number,
      tauMultiplier?: number,
    ): { danceability: number; dfa: EssentiaVector };
    DynamicComplexity(signal: EssentiaVector, frameSize?: number, sampleRate?: number): { dynamicComplexity: number; loudness: number };
    OnsetRate(signal: EssentiaVector): { onsets: EssentiaVector; onsetRate: number };
    OnsetDetectionGlobal(
      signal: EssentiaVector,
      frameSize?: number,
      hopSize?: number,
      method?: "infogain" | "beat_emphasis",
      sampleRate?: number,
    ): { onsetDetections: EssentiaVector };
    Energy(array: EssentiaVector): { energy: number };
    Windowing(frame: EssentiaVector, normalized?: boolean, size?: number, type?: string, zeroPadding?: number, zeroPhase?: boolean): { frame: EssentiaVector };
    Spectrum(frame: EssentiaVector, size?: number): { spectrum: EssentiaVector };
    MelBands(
      spectrum: EssentiaVector,
      highFrequencyBound?: number,
      inputSize?: number,
      log?: boolean,
      lowFrequencyBound?: number,
      normalize?: string,
      numberBands?: number,
      sampleRate?: number,
      type?: string,
      warpingFormula?: string,
      weighting?: string,
    ): { bands: EssentiaVector };
  }
}
