import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { checkText, TEXT_LIMITS } from "../validation/text.ts";
import { historyFiles, type HistoryFormat } from "./history-files.ts";
import type { ImportReport } from "./import-error.ts";
import type { Progress } from "../progress.ts";
import { importLastfmScrobbles } from "./lastfm-scrobbles.ts";
import { importListenBrainz } from "./listenbrainz.ts";
import type { PlayImportOptions } from "./plays.ts";
import { importSpotifyHistory } from "./spotify.ts";

export const HISTORY_FORMATS: readonly HistoryFormat[] = ["spotify", "lastfm-scrobbles", "listenbrainz"];

/** The importer of one file of each listening-history format. */
export const HISTORY_IMPORTERS: Record<HistoryFormat, (db: Database, path: string, options: PlayImportOptions) => Promise<ImportReport>> = {
  spotify: importSpotifyHistory,
  "lastfm-scrobbles": importLastfmScrobbles,
  listenbrainz: importListenBrainz,
};

/** The listener a history belongs to (created when new). */
export interface HistoryListener {
  externalKey: string;
  name?: string;
  timeZone?: string;
}

export interface HistoryImportReport {
  format: HistoryFormat;
  files: ImportReport[];
  /** Files of the download that hold no song plays (Spotify's podcast and video history), not read. */
  ignoredFiles: string[];
}

/** Checks a history import's listener before anything runs: key and name as the importers check them, an IANA zone. */
export function checkHistoryListener(user: HistoryListener): void {
  checkText(user.externalKey, "user", TEXT_LIMITS.key);
  if (user.name !== undefined) checkText(user.name, "user name", TEXT_LIMITS.name);
  if (user.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: user.timeZone });
    } catch {
      throw new RangeError(`time zone must be an IANA time zone, got '${user.timeZone}'`);
    }
  }
}

/**
 * Imports a listener's history download: the file itself, or every history file of the folder in
 * name order (historyFiles). Each file is its own all-or-nothing import; the first bad file stops
 * the run, and the files before it stay imported (importing again skips what they recorded).
 * Progress counts bytes over all files; `signal` is checked between files.
 */
export async function importHistory(
  db: Database,
  format: HistoryFormat,
  path: string,
  user: HistoryListener,
  onProgress: Progress = () => {},
  signal?: AbortSignal,
): Promise<HistoryImportReport> {
  checkHistoryListener(user);
  const { files, ignored } = await historyFiles(path, format);
  if (files.length === 0) throw new RangeError(`no ${format} history files in ${path}`);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const reports: ImportReport[] = [];
  let before = 0;
  for (const [i, file] of files.entries()) {
    if (signal?.aborted) throw new CancelledError(`${format} import`);
    const label = `${format} ${i + 1}/${files.length} ${basename(file)}`;
    reports.push(
      await HISTORY_IMPORTERS[format](db, file, {
        user,
        onProgress: (message, done) => onProgress(`${label}: ${message}`, before + Math.min(done, sizes[i]), total),
      }),
    );
    before += sizes[i];
  }
  onProgress(`${format}: ${files.length} file${files.length === 1 ? "" : "s"} imported`, total, total);
  return { format, files: reports, ignoredFiles: ignored };
}
