import { ImportError } from "./import-error.ts";

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows with their 1-based line
 * numbers. An unterminated quote is reported at the line where the field started.
 */
export function parseCsv(text: string, file: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let field = "";
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) { quoted = true; quoteLine = line; fieldStarted = true; continue; }
    if (ch === ",") { cells.push(field); field = ""; fieldStarted = false; continue; }
    if (ch === "\r" && text[i + 1] === "\n") continue;
    if (ch === "\n") {
      cells.push(field);
      if (!(cells.length === 1 && cells[0] === "")) rows.push({ cells, line: rowLine });
      cells = []; field = ""; fieldStarted = false;
      line++; rowLine = line;
      continue;
    }
    field += ch;
    fieldStarted = true;
  }
  if (quoted) throw new ImportError(file, quoteLine, "unterminated quoted field");
  if (fieldStarted || cells.length > 0) {
    cells.push(field);
    rows.push({ cells, line: rowLine });
  }
  return rows;
}
