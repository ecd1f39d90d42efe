import { readFile } from "node:fs/promises";
import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import { DataFormatError } from "../core/errors.ts";

/** One row of an audio folder's labels.csv; null where the cell is empty (unknown). */
export interface AudioLabel {
  path: string;
  tempoBpm: number | null;
  key: string | null;
  mode: "major" | "minor" | null;
  meter: string | null;
}

const PITCH_CLASSES: Record<string, number> = {
  C: 0,
  "C#": 1,
  Db: 1,
  D: 2,
  "D#": 3,
  Eb: 3,
  E: 4,
  F: 5,
  "F#": 6,
  Gb: 6,
  G: 7,
  "G#": 8,
  Ab: 8,
  A: 9,
  "A#": 10,
  Bb: 10,
  B: 11,
  Cb: 11,
};

/** Pitch class 0..11 of a key name such as "F#" or "Bb"; null if not a key name. */
export function pitchClass(key: string): number | null {
  return PITCH_CLASSES[key] ?? null;
}

/**
 * Reads labels.csv (header: path, tempo_bpm, key, mode[, meter, ...]). Errors name the file and
 * line of a malformed row.
 */
export async function readAudioLabels(file: string): Promise<AudioLabel[]> {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // A labels file is a few hundred rows: read whole, parsed by csv-parse (quoted cells, "" escapes, a BOM); CRLF
    // becomes LF first, as csv-parse's line count drifts on CRLF inside a quoted cell. A row's line is where it ends.
    const text = (await readFile(file, "utf8")).replace(/\r\n/g, "\n");
    // With `info: true` each record comes as { record, info }; csv-parse's types do not follow the option.
    rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (error) {
    if (error instanceof CsvError)
      throw new DataFormatError(
        file,
        (error as CsvError & { lines?: number }).lines ?? 1,
        error.message.replace(/^Invalid Record Length: |, at line \d+$/g, ""),
      );
    throw error;
  }
  const header = rows[0]?.record ?? [];
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new DataFormatError(file, 1, `header has no '${name}' column (got ${header.join(",")})`);
    return index;
  };
  const [pathAt, tempoAt, keyAt, modeAt] = ["path", "tempo_bpm", "key", "mode"].map(column);
  // meter is optional: demo folders written before it was added have none.
  const meterAt = header.indexOf("meter");
  const labels: AudioLabel[] = [];
  for (const { record: cells, info } of rows.slice(1)) {
    const line = info.lines;
    const cell = (at: number) => (cells[at] ?? "").trim() || null;
    if (cells.every((c) => !c.trim())) continue;
    const path = cell(pathAt);
    if (!path) throw new DataFormatError(file, line, "path is empty");
    const tempoText = cell(tempoAt);
    const tempoBpm = tempoText === null ? null : Number(tempoText);
    if (tempoBpm !== null && !(tempoBpm > 0 && tempoBpm < 1000)) {
      throw new DataFormatError(file, line, `tempo_bpm must be a number in (0, 1000), got '${tempoText}'`);
    }
    const key = cell(keyAt);
    if (key !== null && pitchClass(key) === null) throw new DataFormatError(file, line, `key must be a pitch name like C, F# or Bb, got '${key}'`);
    const mode = cell(modeAt);
    if (mode !== null && mode !== "major" && mode !== "minor") {
      throw new DataFormatError(file, line, `mode must be major or minor, got '${mode}'`);
    }
    labels.push({ path, tempoBpm, key, mode, meter: meterAt < 0 ? null : cell(meterAt) });
  }
  return labels;
}

/** Tempo within `tolerance` (relative) of the label, and also allowing x1/3, 1/2, 2, 3 errors. */
export function tempoMatch(estimate: number, label: number, tolerance = 0.04): { exact: boolean; withOctaveErrors: boolean } {
  const within = (factor: number) => Math.abs(estimate / (label * factor) - 1) <= tolerance;
  return { exact: within(1), withOctaveErrors: [1, 1 / 3, 1 / 2, 2, 3].some(within) };
}

/**
 * MIREX weighted key score (as in mir_eval.key.weighted_score): 1 same key, 0.5 the estimate a
 * perfect fifth above in the same mode, 0.3 relative major/minor, 0.2 parallel, else 0.
 */
export function mirexKeyScore(reference: { key: string; mode: "major" | "minor" }, estimate: { key: string; mode: "major" | "minor" }): number {
  const ref = pitchClass(reference.key);
  const est = pitchClass(estimate.key);
  if (ref === null || est === null) throw new RangeError(`unknown key name: ${ref === null ? reference.key : estimate.key}`);
  const interval = (est - ref + 12) % 12;
  if (interval === 0 && reference.mode === estimate.mode) return 1;
  if (reference.mode === estimate.mode && interval === 7) return 0.5;
  if (reference.mode === "major" && estimate.mode === "minor" && interval === 9) return 0.3;
  if (reference.mode === "minor" && estimate.mode === "major" && interval === 3) return 0.3;
  if (interval === 0) return 0.2;
  return 0;
}
