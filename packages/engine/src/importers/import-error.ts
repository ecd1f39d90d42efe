/** A bad row in an import file: names the file, the 1-based line and what was wrong. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "ImportError";
  }
}

/** What an import did; `skipped` explains rows that were valid but had nowhere to go. */
export interface ImportReport {
  source: string;
  created: Record<string, number>;
  skipped: Record<string, number>;
  /** What was read, where an importer counts it (plays, and how many were streams or skips). */
  read?: Record<string, number>;
  seconds: number;
  /** Per-item problems that did not stop the import (for example files that did not decode). */
  errors?: string[];
}
