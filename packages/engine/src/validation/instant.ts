/**
 * One rule for every instant that enters the product (API arguments, CLI flags, importers):
 * a real calendar date and time with an explicit zone (or epoch seconds/milliseconds where a
 * format says so), no earlier than EARLIEST_INSTANT and no later than a day after `now`.
 * "Jan 2", "2026-02-30T00:00:00Z" and "0001-01-01T00:00:00Z" are errors, never guesses.
 */

/** Nothing the product stores happened before recorded music was streamed or scrobbled at scale. */
export const EARLIEST_INSTANT = new Date("2000-01-01T00:00:00Z");
/** Clocks drift and time zones differ: up to one day after `now` is accepted. */
export const FUTURE_TOLERANCE_MS = 24 * 3600_000;

export class InstantError extends RangeError {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "InstantError";
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Checks a parsed instant against the product's bounds. */
export function checkInstant(value: Date, field: string, now: Date = new Date()): Date {
  const t = value.getTime();
  if (Number.isNaN(t)) throw new InstantError(field, "is not a valid date-time");
  if (t < EARLIEST_INSTANT.getTime()) throw new InstantError(field, `must be on or after ${EARLIEST_INSTANT.toISOString()}, got ${value.toISOString()}`);
  if (t > now.getTime() + FUTURE_TOLERANCE_MS) throw new InstantError(field, `must be no later than a day from now, got ${value.toISOString()}`);
  return value;
}

/**
 * Parses ISO 8601 with a zone ("2026-03-02T10:00:00Z", "2026-03-02 10:00:00+01:00"); the
 * calendar date must exist (no 30 February rolled into March).
 */
export function parseIsoInstant(raw: string, field: string, now: Date = new Date()): Date {
  const text = raw.trim();
  const m = ISO.exec(text);
  if (!m) throw new InstantError(field, `must be an ISO 8601 date-time with a zone (e.g. 2026-03-02T10:00:00Z), got '${clip(raw)}'`);
  const [, y, mo, d, h, mi, s] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new InstantError(field, `is not a calendar date: '${clip(raw)}'`);
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) throw new InstantError(field, `is not a time of day: '${clip(raw)}'`);
  return checkInstant(new Date(text.replace(" ", "T")), field, now);
}

/** Epoch seconds (10 digits or fewer) or milliseconds, where a format documents them. */
export function parseEpochInstant(raw: string | number, unit: "s" | "ms", field: string, now: Date = new Date()): Date {
  const n = typeof raw === "number" ? raw : /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw new InstantError(field, `must be epoch ${unit === "s" ? "seconds" : "milliseconds"}, got '${clip(String(raw))}'`);
  return checkInstant(new Date(unit === "s" ? n * 1000 : n), field, now);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
