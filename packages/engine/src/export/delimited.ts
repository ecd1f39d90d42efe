import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** A cell of CSV (RFC 4180 quoting) or TSV (tabs and line breaks become spaces: TSV has no quoting). */
export function cell(value: unknown, delimiter: "," | "\t"): string {
  if (value === null || value === undefined) return "";
  // Cells are strings, numbers, bigints, booleans or dates, never plain objects.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  const text = typeof value === "string" ? value : String(value);
  if (delimiter === "\t") return text.replace(/[\t\r\n]/g, " ");
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes a header and rows as CSV or TSV through a stream (constant memory per row). */
export async function writeDelimited(path: string, delimiter: "," | "\t", header: string[], rows: Iterable<unknown[]>): Promise<void> {
  const out = createWriteStream(path);
  const line = (cells: unknown[]) => cells.map((c) => cell(c, delimiter)).join(delimiter) + "\n";
  out.write(line(header));
  for (const row of rows) if (!out.write(line(row))) await once(out, "drain");
  out.end();
  await once(out, "finish");
}
