import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appConfig, main } from "@deepcuts/api";
import { openEmbedded } from "@deepcuts/db";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { startImport } from "@deepcuts/engine/curation/work.ts";
import type { JobRecord } from "@deepcuts/engine/jobs/records.ts";
import { closeJobQueue } from "@deepcuts/engine/jobs/queue.ts";
import { startWorker, type RunningWorker } from "@deepcuts/engine/jobs/worker.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

// Listening histories (Spotify, Last.fm scrobbles, ListenBrainz) as IMPORT jobs on the job engine:
// checked when queued, run by a worker file by file with progress over the bytes of every file.
// Fixtures are written here from the documented field lists.
const skipPostgres = await postgresUnavailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), "deepcuts-import-jobs-"));

const spotifyEntry = (ts: string, title: string, artist: string, uri: string, fields: Record<string, unknown> = {}) => ({
  ts,
  platform: "linux",
  ms_played: 200_000,
  conn_country: "GB",
  master_metadata_track_name: title,
  master_metadata_album_artist_name: artist,
  master_metadata_album_album_name: "An Album",
  spotify_track_uri: uri,
  episode_name: null,
  episode_show_name: null,
  spotify_episode_uri: null,
  reason_start: "trackdone",
  reason_end: "trackdone",
  shuffle: false,
  skipped: false,
  offline: false,
  incognito_mode: false,
  ...fields,
});
const listen = (at: number, artist: string, track: string) => ({
  listened_at: at,
  track_metadata: { artist_name: artist, track_name: track, release_name: "A Release", additional_info: {} },
});

async function finished(t: TestDatabase, id: number, until: (job: JobRecord) => boolean = (j) => j.status === "SUCCEEDED"): Promise<JobRecord> {
  const deadline = Date.now() + 60_000;
  let job = await getJob(t.db, id);
  while (!until(job) && Date.now() < deadline) {
    await sleep(200);
    job = await getJob(t.db, id);
  }
  return job;
}

describe.each<Target>(["embedded", "postgres"])("listening-history imports as jobs on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let worker: RunningWorker | undefined;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    worker = await startWorker(t.db, { threads: 1, home: "", schedule: false });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    if (t) {
      await closeJobQueue(t.db);
      await t.drop();
    }
  });

  it.skipIf(skip)(
    `imports a Spotify download and a nested ListenBrainz export with progress over every file; a broken file fails its job with the line ${skip ? skipPostgres : ""}`,
    async () => {
      const spotify = join(dir, `spotify-${target}`);
      mkdirSync(spotify);
      writeFileSync(
        join(spotify, "Streaming_History_Audio_2025_1.json"),
        JSON.stringify(
          [
            spotifyEntry("2025-03-01T10:00:00Z", "Just Like Heaven", "The Cure", "spotify:track:0aAbBcCdDeEfFgGhHiIjJk"),
            spotifyEntry("2025-03-01T10:05:00Z", "Just Like Heaven", "The Cure", "spotify:track:0aAbBcCdDeEfFgGhHiIjJk", { ms_played: 5_000, skipped: true }),
          ],
          null,
          1,
        ),
      );
      writeFileSync(
        join(spotify, "Streaming_History_Audio_2025_2.json"),
        JSON.stringify(
          [
            spotifyEntry("2025-04-01T10:00:00Z", "Bohemian Rhapsody", "Queen", "spotify:track:2aAbBcCdDeEfFgGhHiIjJk"),
            spotifyEntry("2025-04-01T11:00:00Z", "", "", "", {
              master_metadata_track_name: null,
              master_metadata_album_artist_name: null,
              spotify_track_uri: null,
              episode_name: "A Talk",
              episode_show_name: "A Show",
              spotify_episode_uri: "spotify:episode:0aAbBcCdDeEfFgGhHiIjJk",
            }),
          ],
          null,
          1,
        ),
      );
      writeFileSync(join(spotify, "Streaming_History_Video_2025.json"), "[]");

      const job = await startImport(t.db, "spotify", spotify, { externalKey: "job-listener", name: "Job Listener" });
      const done = await finished(t, job.id);
      expect(done.status, done.error ?? done.message).toBe("SUCCEEDED");
      expect(done.done).toBe(done.total);
      expect(done.total).toBeGreaterThan(0);
      const result = done.result as { files: { created: Record<string, number>; skipped: Record<string, number> }[]; ignoredFiles: string[] };
      expect(result.files.map((f) => f.created.events)).toEqual([2, 1]);
      expect(result.files[1].skipped.podcastEpisodes).toBe(1);
      expect(result.ignoredFiles.map((f) => f.split("/").pop())).toEqual(["Streaming_History_Video_2025.json"]);
      const [stats] = await t.db.query<{ streams: number; skips: number }>(
        `SELECT sum(streams)::int AS streams, sum(skips)::int AS skips FROM user_track_stats s JOIN users u ON u.id = s.user_id WHERE u.external_key = 'job-listener'`,
      );
      expect(stats).toEqual({ streams: 2, skips: 1 });

      const listenbrainz = join(dir, `listenbrainz-${target}`);
      mkdirSync(join(listenbrainz, "listens", "2025"), { recursive: true });
      writeFileSync(
        join(listenbrainz, "listens", "2025", "3.jsonl"),
        [listen(1740823200, "The Cure", "Just Like Heaven"), listen(1740826800, "Björk", "Jóga")].map((l) => JSON.stringify(l)).join("\n"),
      );
      const lb = await finished(t, (await startImport(t.db, "listenbrainz", listenbrainz, { externalKey: "job-listener" })).id);
      expect(lb.status, lb.error ?? lb.message).toBe("SUCCEEDED");
      expect((lb.result as { files: { created: Record<string, number> }[] }).files.map((f) => f.created.events)).toEqual([2]);
      // The Cure's song is the Spotify one: one more track (Jóga), not two.
      const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tracks`);
      expect(n).toBe(3);

      const broken = join(dir, `broken-${target}.jsonl`);
      writeFileSync(
        broken,
        [
          JSON.stringify(listen(1740830400, "Queen", "Bohemian Rhapsody")),
          JSON.stringify({ ...listen(1740834000, "Queen", "Innuendo"), listened_at: "Jan 2" }),
        ].join("\n"),
      );
      const before = await t.db.query(`SELECT count(*)::int AS n FROM listening_events`);
      const failed = await finished(
        t,
        (await startImport(t.db, "listenbrainz", broken, { externalKey: "job-listener" })).id,
        (j) => ["FAILED", "DEAD_LETTER", "QUEUED"].includes(j.status) && j.error !== null,
      );
      expect(failed.error).toMatch(new RegExp(`broken-${target}\\.jsonl:2: listened_at`));
      expect(await t.db.query(`SELECT count(*)::int AS n FROM listening_events`)).toEqual(before);
      // It would fail the same way on each retry: it ends FAILED after its first attempt, not retried.
      expect([failed.status, failed.attempts]).toEqual(["FAILED", 1]);
    },
    120_000,
  );

  it.skipIf(skip)("refuses, when queued, a history without its listener, an unknown format or a path with no history files", async () => {
    const file = join(dir, `one-${target}.jsonl`);
    writeFileSync(file, JSON.stringify(listen(1740823200, "The Cure", "Just Like Heaven")));
    await expect(startImport(t.db, "listenbrainz", file)).rejects.toThrow("user: a listenbrainz import needs the listener the history belongs to");
    await expect(startImport(t.db, "listenbrainz", file, { externalKey: "x", timeZone: "Mars/Olympus" })).rejects.toThrow(
      "user: time zone must be an IANA time zone, got 'Mars/Olympus'",
    );
    await expect(startImport(t.db, "deezer", file)).rejects.toThrow(
      "format: must be one of lastfm-2k, events, texts, audio, spotify, lastfm-scrobbles, listenbrainz, got 'deezer'",
    );
    await expect(startImport(t.db, "spotify", join(dir, "nowhere"), { externalKey: "x" })).rejects.toThrow(/^path: .*nowhere does not exist/);
    const empty = mkdtempSync(join(tmpdir(), "deepcuts-empty-"));
    await expect(startImport(t.db, "spotify", empty, { externalKey: "x" })).rejects.toThrow(`path: no spotify history files in ${empty}`);
    await expect(startImport(t.db, "events", file, { externalKey: "x" })).rejects.toThrow(
      "user: applies to spotify, lastfm-scrobbles and listenbrainz imports, not events",
    );
  });
});

describe("deepcuts import <format> --queue", () => {
  it("queues the import as a job for a worker, and refuses a history without --user", async () => {
    const t = await createTestDatabase("embedded");
    await t.db.close();
    const run = async (...argv: string[]) => {
      const out: string[] = [],
        err: string[] = [];
      const code = await main(argv, {
        config: { ...appConfig(), database: { databaseUrl: null, home: t.home! } },
        out: (x) => out.push(x),
        err: (x) => err.push(x),
      });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    try {
      const file = join(dir, "queued.jsonl");
      writeFileSync(file, JSON.stringify(listen(1740823200, "The Cure", "Just Like Heaven")));
      const queued = await run("import", "listenbrainz", file, "--user", "cli-listener", "--queue", "--json");
      expect(queued.code, queued.err).toBe(0);
      const { jobId } = JSON.parse(queued.out) as { jobId: number };
      const refused = await run("import", "listenbrainz", file, "--queue");
      expect(refused.code).not.toBe(0);
      expect(refused.err).toContain("user: a listenbrainz import needs the listener the history belongs to");
      const db = await openEmbedded(join(t.home!, "pglite"), "vitest");
      try {
        const job = await getJob(db, jobId);
        expect(job).toMatchObject({ kind: "IMPORT", status: "QUEUED", params: { format: "listenbrainz", path: file, user: { externalKey: "cli-listener" } } });
        expect(await db.query(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'IMPORT'`)).toEqual([{ n: 1 }]);
      } finally {
        await db.close();
      }
    } finally {
      await t.drop();
    }
  }, 60_000);
});
