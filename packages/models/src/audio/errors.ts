/** Base class of per-track analysis failures: the batch records `message` and goes on. */
export class AudioAnalysisError extends Error {
  constructor(
    readonly code: "unsupported" | "corrupt" | "silent" | "too-short",
    message: string,
  ) {
    super(message);
    this.name = "AudioAnalysisError";
  }
}

/** The bytes are not a container/codec we decode (WAV, OGG Vorbis, MP3, FLAC). */
export class UnsupportedAudioError extends AudioAnalysisError {
  constructor(message: string) {
    super("unsupported", message);
    this.name = "UnsupportedAudioError";
  }
}

/** The format was recognised but decoding failed or produced no usable samples. */
export class CorruptAudioError extends AudioAnalysisError {
  constructor(message: string) {
    super("corrupt", message);
    this.name = "CorruptAudioError";
  }
}

/** The excerpt is (near) digital silence: essentia's estimators return garbage or throw on it. */
export class SilentAudioError extends AudioAnalysisError {
  constructor(message: string) {
    super("silent", message);
    this.name = "SilentAudioError";
  }
}

/** Fewer seconds than the analysis needs to estimate tempo and key. */
export class TooShortAudioError extends AudioAnalysisError {
  constructor(message: string) {
    super("too-short", message);
    this.name = "TooShortAudioError";
  }
}
