/** A cell of CSV (RFC 4180 quoting) or TSV (tabs and line breaks become spaces: TSV has no quoting). */
export function cell(value: unknown, delimiter: "," | "\t"): string {
  if (value === null || value === undefined) return "";
  // Cells are strings, numbers, bigints, booleans or dates, never plain objects.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const text = typeof value === "string" ? value : String(value);
  if (delimiter === "\t") return text.replace(/[\t\r\n]/g, " ");
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows as CSV or TSV lines, one at a time. */
export function* delimitedLines(delimiter: "," | "\t", header: string[], rows: Iterable<unknown[]>): Generator<string> {
  const line = (cells: unknown[]) => cells.map((c) => cell(c, delimiter)).join(delimiter) + "\n";
  yield line(header);
  for (const row of rows) yield line(row);
}
