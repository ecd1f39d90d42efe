import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { SPOTIFY_FILE, SPOTIFY_OTHER_FILE } from "./spotify.ts";

export type HistoryFormat = "spotify" | "lastfm-scrobbles" | "listenbrainz";

const WANTED: Record<HistoryFormat, RegExp> = {
  spotify: SPOTIFY_FILE,
  "lastfm-scrobbles": /\.(csv|json)$/i,
  listenbrainz: /\.(jsonl|json)$/i,
};

/**
 * The files of a listening-history download to import, in name order: the path itself when it is
 * a file, else every matching file under the folder (ListenBrainz exports nest listens/<year>/<month>.jsonl).
 * `ignored` lists files of the download that hold no song plays (Spotify's podcast and video history).
 */
export async function historyFiles(path: string, format: HistoryFormat): Promise<{ files: string[]; ignored: string[] }> {
  if (!(await stat(path)).isDirectory()) return { files: [path], ignored: [] };
  const files: string[] = [];
  const ignored: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (format === "spotify" && SPOTIFY_OTHER_FILE.test(entry.name)) ignored.push(full);
      else if (WANTED[format].test(basename(full))) files.push(full);
    }
  };
  await walk(path);
  return { files, ignored };
}
