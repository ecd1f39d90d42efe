import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { DataFormatError } from "../core/errors.ts";

/**
 * Reads a tab-separated file with a header row, calling `onRow` with the cells and the 1-based
 * line number. Checks the header names and the cell count of every row; `onRow` may throw
 * `DataFormatError` for a bad value.
 */
export async function readTsv(
  path: string,
  expectedHeader: string[],
  onRow: (cells: string[], line: number) => void,
  encoding: BufferEncoding = "utf8",
): Promise<void> {
  const text = await readFile(path, encoding);
  const file = basename(path);
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split("\t") ?? [];
  if (header.length !== expectedHeader.length || header.some((h, i) => h.trim() !== expectedHeader[i])) {
    throw new DataFormatError(file, 1, `expected header '${expectedHeader.join("\\t")}', got '${lines[0] ?? ""}'`);
  }
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw === "") continue;
    const cells = raw.split("\t");
    if (cells.length !== expectedHeader.length) {
      throw new DataFormatError(file, i + 1, `expected ${expectedHeader.length} tab-separated fields, got ${cells.length}`);
    }
    onRow(cells, i + 1);
  }
}

/** Parses a non-negative integer cell, or throws naming the file, line and column. */
export function integerCell(value: string, file: string, line: number, column: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new DataFormatError(file, line, `${column} must be a non-negative integer, got '${value}'`);
  }
  return n;
}
