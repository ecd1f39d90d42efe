/**
 * A listener's week starts Monday 00:00 in their own time zone. `weekStartFor` returns that
 * Monday's calendar date (as YYYY-MM-DD) for the instant `now`.
 */
export function weekStartFor(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday"));
  const local = new Date(Date.UTC(Number(get("year")), Number(get("month")) - 1, Number(get("day"))));
  local.setUTCDate(local.getUTCDate() - weekday);
  return local.toISOString().slice(0, 10);
}

/** Checks an IANA time zone name, naming it in the error. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new RangeError(`time zone must be an IANA name such as Europe/Paris, got '${timeZone}'`);
  }
}
