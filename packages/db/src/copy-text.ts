// COPY's text format, in a module of its own: the events import's reader writes it without
// loading the database layer.

/** A text value in COPY's text format: backslash, tab and line breaks escaped. */
export function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
}

/** A number in COPY's text format (exact: the shortest text that reads back as the same double), `\N` for null. */
export function copyNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "\\N" : String(value);
}
