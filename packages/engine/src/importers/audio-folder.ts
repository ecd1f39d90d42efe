import { readdirSync } from "node:fs";
import { basename, extname, join, relative, sep } from "node:path";
import type { Database } from "@deepcuts/db";
import { upsertArtists, upsertTracks } from "../ingest.ts";
import type { ImportReport } from "./import-error.ts";
import type { Progress } from "../progress.ts";

export const AUDIO_EXTENSIONS = new Set([".wav", ".ogg", ".mp3", ".flac"]);

function audioFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...audioFiles(path));
    else if (AUDIO_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out.sort();
}

/**
 * Imports a folder of audio files. A file whose name (without extension) is an existing
 * track's external key gets attached to that track; any other file becomes a new track,
 * titled by its file name, by the artist named by its parent folder ("Unknown artist" at the
 * top level). Each file is decoded once to learn its duration; files that do not decode are
 * reported and skipped. Tracks are queued for analysis (`deepcuts analyse all`).
 */
export async function importAudioFolder(db: Database, folder: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const started = Date.now();
  const files = audioFiles(folder);
  // Loaded on demand: the decoders are heavy and most commands never need them.
  const { decodeAudio } = await import("@deepcuts/models/audio");
  const decoded: { path: string; durationMs: number; stem: string; artist: string }[] = [];
  const failures: string[] = [];
  for (const [i, path] of files.entries()) {
    onProgress(basename(path), i, files.length);
    try {
      const audio = await decodeAudio(path);
      const parts = relative(folder, path).split(sep);
      decoded.push({
        path,
        durationMs: Math.round((audio.samples.length / audio.sampleRate) * 1000),
        stem: basename(path, extname(path)),
        artist: parts.length > 1 ? parts[parts.length - 2] : "Unknown artist",
      });
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  const created = await db.transaction(async (query) => {
    const existing = await query<{ id: number; external_key: string }>(`SELECT id, external_key FROM tracks WHERE external_key = ANY($1::text[])`, [
      decoded.map((d) => d.stem),
    ]);
    const known = new Map(existing.map((t) => [t.external_key, t.id]));
    for (const d of decoded.filter((d) => known.has(d.stem))) {
      await query(`UPDATE tracks SET audio_path = $1 WHERE id = $2`, [d.path, known.get(d.stem)]);
    }
    const fresh = decoded.filter((d) => !known.has(d.stem));
    const artists = await upsertArtists(
      query,
      [...new Set(fresh.map((d) => d.artist))].map((name) => ({ externalKey: `audio:artist:${name}`, name })),
    );
    const tracks = await upsertTracks(
      query,
      fresh.map((d) => ({
        externalKey: `audio:${relative(folder, d.path)}`,
        title: d.stem,
        artistId: artists.get(`audio:artist:${d.artist}`)!,
        durationMs: d.durationMs,
        audioPath: d.path,
      })),
    );
    const trackIds = [...known.values(), ...tracks.values()];
    await query(
      `INSERT INTO audio_analyses (track_id, status) SELECT unnest($1::int[]), 'PENDING'
       ON CONFLICT (track_id) DO UPDATE SET status = 'PENDING', error = NULL`,
      [trackIds],
    );
    return { attached: decoded.length - fresh.length, tracks: fresh.length };
  });
  onProgress("done", files.length, files.length);
  return {
    source: `audio:${folder}`,
    created,
    skipped: { undecodable: failures.length },
    seconds: (Date.now() - started) / 1000,
    ...(failures.length ? { errors: failures } : {}),
  };
}
