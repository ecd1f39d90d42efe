import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { ImportError } from "./import-error.ts";

export interface CsvRow {
  cells: string[];
  /** 1-based line where the row starts (a quoted cell may span lines). */
  line: number;
}

/** csv-parse reports the line where a record ends; its raw text says how many lines it spans. */
function startLine(endLine: number, raw: string | undefined): number {
  if (!raw) return endLine;
  const body = raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "");
  let breaks = 0;
  for (let i = body.indexOf("\n"); i >= 0; i = body.indexOf("\n", i + 1)) breaks++;
  return endLine - breaks;
}

/**
 * CRLF to LF before parsing: csv-parse's line count drifts on CRLF inside quoted cells, and the
 * line numbers of errors must be right. Works on bytes (latin1 keeps them as they are).
 */
class CrlfToLf extends Transform {
  private pendingCr = false;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let bytes = this.pendingCr ? Buffer.concat([Buffer.from([13]), chunk]) : chunk;
    this.pendingCr = bytes.length > 0 && bytes[bytes.length - 1] === 13;
    if (this.pendingCr) bytes = bytes.subarray(0, bytes.length - 1);
    done(null, Buffer.from(bytes.toString("latin1").replace(/\r\n/g, "\n"), "latin1"));
  }
  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? Buffer.from([13]) : null);
  }
}

/**
 * Streams an RFC 4180 CSV file (quoted fields, doubled quotes, CRLF or LF, a UTF-8 byte order
 * mark; a CRLF inside a quoted cell is read as LF) row by row with csv-parse, so a file of any
 * size is read in constant memory. Empty lines are skipped; rows may differ in length (the caller checks). A malformed file throws an
 * ImportError at the line where the broken row starts.
 */
export async function* readCsvRows(
  path: string,
  file: string,
  options: { delimiter?: string; onBytes?: (bytesRead: number) => void } = {},
): AsyncGenerator<CsvRow> {
  const input = createReadStream(path);
  const lf = new CrlfToLf();
  let rows = 0;
  const parser = parse({
    bom: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    delimiter: options.delimiter ?? ",",
    record_delimiter: "\n",
  });
  // pipe() does not pass errors on: a file that cannot be read (missing, a folder) fails the parse.
  for (const stage of [input, lf]) stage.on("error", (error: Error) => parser.destroy(error));
  input.pipe(lf).pipe(parser);
  // Line numbers from the raw text of the records: each holds its own line breaks and those of
  // the empty lines skipped before it (csv-parse's per-record `info` would say the same, at a
  // copy of its whole state per record: an eighth of reading an events file).
  let linesBefore = 0;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      let skipped = 0;
      while (raw.charCodeAt(skipped) === 10) skipped++;
      yield { cells: record, line: linesBefore + skipped + 1 };
      for (let i = raw.indexOf("\n"); i >= 0; i = raw.indexOf("\n", i + 1)) linesBefore++;
      if (options.onBytes && ++rows % 2000 === 0) options.onBytes(input.bytesRead);
    }
    options.onBytes?.(input.bytesRead);
  } catch (error) {
    if (error instanceof CsvError) {
      const e = error as CsvError & { lines?: number; raw?: string };
      const problem = e.code === "CSV_QUOTE_NOT_CLOSED" ? "unterminated quoted field" : e.message.replace(/ at line \d+/, "");
      throw new ImportError(file, startLine(e.lines ?? 1, e.raw), problem);
    }
    throw error;
  } finally {
    parser.destroy();
    input.destroy();
  }
}
