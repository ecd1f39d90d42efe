import { isAbsolute, join } from "node:path";
import type { Database } from "@deepcuts/db";
import { float32ToBytes, quantizeToBytes } from "@deepcuts/db";
import type { AudioAnalysis, FileAnalysisResult } from "@deepcuts/models/audio";

/** Log-mel values are log10(1 + 10^4 m), within [0, 8] for any real signal; stored as bytes. */
export const MEL_RANGE = { min: 0, max: 8 } as const;

export interface AnalyseReport {
  analysed: number;
  failed: number;
  errors: { trackId: number; path: string; error: string }[];
  seconds: number;
}

/** Where a track's audio_path points: absolute, or relative to $DEEPCUTS_HOME. */
export function resolveAudioPath(home: string, audioPath: string): string {
  return isAbsolute(audioPath) ? audioPath : join(home, audioPath);
}

async function storeResult(db: Database, trackId: number, result: FileAnalysisResult): Promise<void> {
  if (!result.ok) {
    await db.query(
      `INSERT INTO audio_analyses (track_id, status, error, analysed_at) VALUES ($1, 'FAILED', $2, now())
       ON CONFLICT (track_id) DO UPDATE SET status = 'FAILED', error = excluded.error, analysed_at = now()`,
      [trackId, result.error],
    );
    return;
  }
  const a: AudioAnalysis = result.analysis;
  const mel = a.melSpectrogram;
  await db.query(
    `INSERT INTO audio_analyses (track_id, status, error, tempo, tempo_confidence, key, mode, key_strength, loudness, danceability, energy,
                                 dynamic_complexity, onset_rate, beats, mel_spectrogram, mel_bands, mel_frames, analysed_at)
     VALUES ($1, 'OK', NULL, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
     ON CONFLICT (track_id) DO UPDATE SET status = 'OK', error = NULL, tempo = excluded.tempo, tempo_confidence = excluded.tempo_confidence,
       key = excluded.key, mode = excluded.mode, key_strength = excluded.key_strength, loudness = excluded.loudness,
       danceability = excluded.danceability, energy = excluded.energy, dynamic_complexity = excluded.dynamic_complexity,
       onset_rate = excluded.onset_rate, beats = excluded.beats, mel_spectrogram = excluded.mel_spectrogram,
       mel_bands = excluded.mel_bands, mel_frames = excluded.mel_frames, analysed_at = now()`,
    [
      trackId,
      a.tempo.bpm,
      a.tempo.confidence,
      a.key,
      a.mode,
      a.keyStrength,
      a.loudness.integratedLufs,
      a.danceability,
      a.energy,
      a.dynamicComplexity,
      a.onsetRate,
      float32ToBytes(Float32Array.from(a.beats)),
      mel ? quantizeToBytes(mel.data, MEL_RANGE.min, MEL_RANGE.max) : null,
      mel?.bands ?? null,
      mel?.frames ?? null,
    ],
  );
}

/** Which tracks an analysis takes: see `pendingTracks`. */
export interface PendingSelection {
  /** Every track with audio, not only pending ones. */
  redo?: boolean;
  /** With `redo`: leave out tracks analysed at or after this instant (a resumed batch of a redo run skips what it did). */
  analysedBefore?: Date;
  /** Only track ids in this range (inclusive): one batch of a fanned-out analysis. */
  idRange?: { from: number; to: number };
}

/** Tracks with audio whose analysis is missing or PENDING (with `redo`, every one not analysed since `analysedBefore`), in id order. */
export async function pendingTracks(db: Database, select: PendingSelection = {}): Promise<{ id: number; audio_path: string }[]> {
  const params: unknown[] = [];
  const where = ["t.audio_path IS NOT NULL"];
  if (!select.redo) where.push(`(a.track_id IS NULL OR a.status = 'PENDING')`);
  else if (select.analysedBefore) {
    params.push(select.analysedBefore.toISOString());
    where.push(`(a.track_id IS NULL OR a.analysed_at IS NULL OR a.analysed_at < $${params.length}::timestamptz)`);
  }
  if (select.idRange) {
    params.push(select.idRange.from, select.idRange.to);
    where.push(`t.id BETWEEN $${params.length - 1} AND $${params.length}`);
  }
  return db.query<{ id: number; audio_path: string }>(
    `SELECT t.id, t.audio_path FROM tracks t LEFT JOIN audio_analyses a ON a.track_id = t.id WHERE ${where.join(" AND ")} ORDER BY t.id`,
    params,
  );
}

/**
 * Analyses every track whose analysis is pending (or all tracks with audio when `redo`), on a
 * pool of worker threads, storing each result as it arrives: features and the quantised log-mel
 * spectrogram with status OK, or status FAILED with the error. A bad file never stops the batch.
 * Each result is committed on its own, so a batch run again after its process died analyses only
 * what it had not stored.
 */
export async function analysePendingTracks(
  db: Database,
  home: string,
  options: PendingSelection & { threads: number; onProgress?: (m: string, d: number, t: number) => void; signal?: AbortSignal },
): Promise<AnalyseReport> {
  const started = Date.now();
  const tracks = await pendingTracks(db, options);
  const report: AnalyseReport = { analysed: 0, failed: 0, errors: [], seconds: 0 };
  if (tracks.length === 0) return report;
  options.onProgress?.("analysing audio", 0, tracks.length);
  const { AnalysisPool } = await import("@deepcuts/models/audio");
  const pool = new AnalysisPool({ threads: options.threads });
  // Each result is stored as it arrives (progress counts stored ones), so a process killed
  // mid-way loses only the files in flight and a repeated run redoes only those.
  let stored = 0;
  let storing: Promise<void> = Promise.resolve();
  try {
    const chunk = 64;
    for (let i = 0; i < tracks.length; i += chunk) {
      const part = tracks.slice(i, i + chunk);
      const paths = part.map((t) => resolveAudioPath(home, t.audio_path));
      // Completion order differs from path order: map each result back by its path (two tracks may share one).
      const waiting = new Map<string, number[]>();
      part.forEach((t, k) => waiting.set(paths[k], [...(waiting.get(paths[k]) ?? []), t.id]));
      await pool.analyseFiles(paths, {
        signal: options.signal,
        onProgress: (_done, _total, result) => {
          const trackId = waiting.get(result.path)!.shift()!;
          storing = storing.then(async () => {
            await storeResult(db, trackId, result);
            if (result.ok) report.analysed++;
            else {
              report.failed++;
              report.errors.push({ trackId, path: result.path, error: result.error });
            }
            options.onProgress?.("analysing audio", ++stored, tracks.length);
          });
        },
      });
      await storing;
    }
  } finally {
    await storing.catch(() => {});
    await pool.close();
  }
  await storing;
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
