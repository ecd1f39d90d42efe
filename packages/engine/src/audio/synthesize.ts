import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Database } from "@deepcuts/db";
import { writeWorldAudio, writeWorldLabels } from "@deepcuts/demo";
import { loadedDemoWorld } from "../demo-loader.ts";

/** Clip length `npm start` synthesizes: 3,000 clips at 11,025 Hz come to about 530 MB. */
export const DEMO_CLIP_SECONDS = 8;

/**
 * Writes the synthesized clips of demo tracks whose audio file is missing (under
 * $DEEPCUTS_HOME, at each track's audio_path), and a labels.csv of the true tempo and key of
 * every clip in the folder, those of earlier (perhaps interrupted) runs included. Returns how
 * many clips were written.
 */
export async function synthesizeDemoAudio(
  db: Database,
  home: string,
  options: { onProgress?: (m: string, d: number, t: number) => void; signal?: AbortSignal } = {},
): Promise<number> {
  const world = await loadedDemoWorld(db);
  if (!world) return 0;
  const paths = new Map(
    (await db.query<{ external_key: string; audio_path: string }>(`SELECT external_key, audio_path FROM tracks WHERE audio_path LIKE 'audio/demo/%'`)).map(
      (t) => [t.external_key, t.audio_path],
    ),
  );
  const withPath = world.tracks.filter((t) => paths.has(t.key));
  const missing = withPath.filter((t) => !existsSync(join(home, paths.get(t.key)!)));
  if (withPath.length === 0) return 0;
  const dir = dirname(join(home, paths.get(withPath[0].key)!));
  if (missing.length > 0) {
    await writeWorldAudio(world, dir, {
      tracks: missing,
      seconds: DEMO_CLIP_SECONDS,
      signal: options.signal,
      onProgress: (done, total) => options.onProgress?.("synthesizing demo audio", done, total),
    });
  }
  await writeWorldLabels(
    dir,
    withPath.filter((t) => existsSync(join(home, paths.get(t.key)!))),
  );
  return missing.length;
}
