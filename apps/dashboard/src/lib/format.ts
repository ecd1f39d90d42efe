/** "3:41" for a track's length. */
export function trackLength(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "30 songs, 2 hr 3 min", the way a streaming service heads a playlist. */
export function playlistSummary(songs: number, totalMs: number): string {
  const minutes = Math.round(totalMs / 60_000);
  const hours = Math.floor(minutes / 60);
  const length = hours > 0 ? `${hours} hr ${minutes % 60} min` : `${minutes} min`;
  return `${songs} ${songs === 1 ? "song" : "songs"}, ${length}`;
}

/** 12345 -> "12,345". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A playlist status (COMPLETE, SHORT, COLD_START) in words, or null when nothing to say. */
export function statusNote(status: string): string | null {
  if (status === "SHORT") return "short: the catalogue ran out";
  if (status === "COLD_START") return "cold start: made from seed artists";
  return null;
}
