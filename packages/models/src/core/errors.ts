/** A model was used before `fit` or `load`. */
export class NotFittedError extends Error {
  constructor(what = "model") {
    super(`${what} is not fitted: call fit() or load() first`);
    this.name = "NotFittedError";
  }
}

/** Training diverged or produced unusable factors (NaN, infinity). */
export class ModelFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFitError";
  }
}

/** A data file is malformed: names the file, the 1-based line and what was wrong. */
export class DataFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "DataFormatError";
  }
}

/** Thrown when an AbortSignal stops long work. */
export class CancelledError extends Error {
  constructor(what = "operation") {
    super(`${what} was cancelled`);
    this.name = "CancelledError";
  }
}
