// Numbers for people: one set of Intl formatters, so every page writes figures the same way.
const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const SIGNIFICANT = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const PERCENT = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const SIGNED = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3, signDisplay: "exceptZero" });
const SIGNED_POINTS = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, signDisplay: "exceptZero" });

/** "3:41" for a track's length. */
export function trackLength(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "30 songs, 2 hr 3 min", the way a streaming service heads a playlist. */
export function playlistSummary(songs: number, totalMs: number): string {
  return `${count(songs)} ${songs === 1 ? "song" : "songs"}, ${duration(totalMs)}`;
}

/** "2 hr 3 min", "14 min", "42 s", "0.35 s": a span of time as a person says it. */
export function duration(ms: number): string {
  if (ms < 1000) return `${SIGNIFICANT.format(ms / 1000)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${count(hours)} hr ${minutes % 60} min` : `${minutes} min`;
}

/** 12345 -> "12,345": an integer, never with decimals. */
export function count(n: number): string {
  return INTEGER.format(n);
}

/** A measurement to 3 significant digits: 0.123456 -> "0.123", 3000 -> "3,000". */
export function metric(n: number): string {
  return Number.isFinite(n) ? SIGNIFICANT.format(n) : "–";
}

/** A metric value: integers (counts such as "items") as integers, the rest to 3 significant digits. */
export function metricValue(n: number): string {
  return Number.isInteger(n) ? count(n) : metric(n);
}

/** A share 0..1 as a percentage: 0.1234 -> "12.3%". */
export function percent(share: number): string {
  return Number.isFinite(share) ? PERCENT.format(share) : "–";
}

/** A change, signed, to 3 significant digits: "+0.0123", "−0.5", "0". */
export function delta(n: number): string {
  return Number.isFinite(n) ? SIGNED.format(n) : "–";
}

/** A change of a share in percentage points: 0.012 -> "+1.2 pts". */
export function deltaPoints(shareChange: number): string {
  return `${SIGNED_POINTS.format(100 * shareChange)} pts`;
}

/** "2026-12-07 14:05 UTC", or "–" for none. */
export function when(iso: string | null | undefined): string {
  return iso ? `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC` : "–";
}

/** A playlist status (COMPLETE, SHORT, COLD_START) in words, or null when nothing to say. */
export function statusNote(status: string): string | null {
  if (status === "SHORT") return "short: the catalogue ran out";
  if (status === "COLD_START") return "cold start: made from seed artists";
  return null;
}
