// npm run bench:history [-- --mb 100] [--target embedded|postgres] [--format spotify|listenbrainz|lastfm]
// Streams a generated listening-history file of about --mb megabytes (20,000 distinct songs by
// 2,000 artists) through its importer and samples the process's RSS and heap as it goes: memory
// should stay flat however large the file.
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { importLastfmScrobbles } from "@deepcuts/engine/importers/lastfm-scrobbles.ts";
import { importListenBrainz } from "@deepcuts/engine/importers/listenbrainz.ts";
import { importSpotifyHistory } from "@deepcuts/engine/importers/spotify.ts";
import { createTestDatabase, postgresUnavailable, type Target } from "../support/databases.ts";

const { values } = parseArgs({
  options: { mb: { type: "string", default: "100" }, target: { type: "string", default: "embedded" }, format: { type: "string", default: "spotify" } },
});
const target = values.target as Target;
const format = values.format as "spotify" | "listenbrainz" | "lastfm";
if (target === "postgres" && (await postgresUnavailable())) throw new Error(String(await postgresUnavailable()));

const dir = mkdtempSync(join(tmpdir(), "deepcuts-history-bench-"));
const path = join(dir, format === "spotify" ? "Streaming_History_Audio_bench.json" : format === "listenbrainz" ? "listens.jsonl" : "scrobbles.csv");
const out = createWriteStream(path);
const target_bytes = Number(values.mb) * 2 ** 20;
const start = Date.UTC(2018, 0, 1);
let written = 0;
let plays = 0;
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const uri = (song: number) => `spotify:track:${Array.from({ length: 22 }, (_, i) => base62[Math.floor(song / 62 ** (i % 4)) % 62]).join("")}`;
if (format === "spotify") out.write("[\n");
while (written < target_bytes) {
  const song = (plays * 7919) % 20_000;
  const ts = new Date(start + plays * 60_000);
  const artist = `Bench Artist ${song % 2000}`,
    title = `Bench Song ${song}`;
  const line =
    format === "spotify"
      ? `${plays ? ",\n" : ""}${JSON.stringify({ ts: ts.toISOString().replace(".000", ""), platform: "linux", ms_played: 20_000 + (plays % 200_000), conn_country: "GB", ip_addr: "192.0.2.1", master_metadata_track_name: title, master_metadata_album_artist_name: artist, master_metadata_album_album_name: `Album ${song % 5000}`, spotify_track_uri: uri(song), episode_name: null, episode_show_name: null, spotify_episode_uri: null, audiobook_title: null, audiobook_uri: null, audiobook_chapter_uri: null, audiobook_chapter_title: null, reason_start: "trackdone", reason_end: "trackdone", shuffle: false, skipped: plays % 9 === 0, offline: false, offline_timestamp: null, incognito_mode: false })}`
      : format === "listenbrainz"
        ? `${JSON.stringify({ listened_at: Math.floor(ts.getTime() / 1000), recording_msid: `msid-${plays}`, track_metadata: { artist_name: artist, track_name: title, release_name: `Album ${song % 5000}`, additional_info: { duration_ms: 180_000 + song, spotify_id: `https://open.spotify.com/track/${uri(song).slice(14)}` } } })}\n`
        : `${artist},Album ${song % 5000},${title},${String(ts.getUTCDate()).padStart(2, "0")} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][ts.getUTCMonth()]} ${ts.getUTCFullYear()} ${String(ts.getUTCHours()).padStart(2, "0")}:${String(ts.getUTCMinutes()).padStart(2, "0")}\n`;
  if (!out.write(line)) await once(out, "drain");
  written += Buffer.byteLength(line);
  plays++;
}
if (format === "spotify") out.write("\n]\n");
out.end();
await once(out, "finish");
const size = statSync(path).size;
console.log(
  `machine: ${cpus()[0].model}, ${cpus().length} cores, node ${process.version}; ${target}, ${format}: ${(size / 2 ** 20).toFixed(0)} MB, ${plays.toLocaleString("en")} plays`,
);

const t = await createTestDatabase(target);
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
const samples: { share: number; rss: number; heap: number }[] = [];
let nextShare = 0;
const started = Date.now();
const importer = format === "spotify" ? importSpotifyHistory : format === "listenbrainz" ? importListenBrainz : importLastfmScrobbles;
try {
  const report = await importer(t.db, path, {
    user: { externalKey: "bench" },
    onProgress: (_message, done, total) => {
      if (total > 0 && done / total >= nextShare) {
        const { rss, heapUsed } = process.memoryUsage();
        samples.push({ share: done / total, rss, heap: heapUsed });
        nextShare += 0.1;
      }
    },
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `imported ${report.created.events.toLocaleString("en")} events, ${report.created.tracks} tracks in ${seconds.toFixed(1)} s (${Math.round(report.created.events / seconds).toLocaleString("en")} plays/s)`,
  );
  for (const s of samples) console.log(`  at ${(s.share * 100).toFixed(0).padStart(3)}%: rss ${mb(s.rss)}, heap ${mb(s.heap)}`);
} finally {
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
}
