import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appConfig, main } from "@deepcuts/api";
import { createTestDatabase } from "../support/databases.ts";

// The commands end to end on an embedded database of their own: a listener's Spotify download,
// a ListenBrainz export and Last.fm scrobbles in, ALS trained, vectors and a graph out, and the
// database evaluation writing its factors.
const dir = mkdtempSync(join(tmpdir(), "deepcuts-history-cli-"));
let home: string;
const songs = Array.from({ length: 12 }, (_, i) => ({
  artist: `CLI Artist ${i % 4}`,
  title: `CLI Song ${i}`,
  uri: `spotify:track:${String(i).padStart(2, "0")}bBcCdDeEfFgGhHiIjJkK`,
}));

async function run(...argv: string[]) {
  const out: string[] = [],
    err: string[] = [];
  const config = { ...appConfig(), database: { databaseUrl: null, home } };
  const code = await main(argv, { config, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  const t = await createTestDatabase("embedded");
  await t.db.close();
  home = t.home!;
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe("deepcuts import spotify|listenbrainz|lastfm-scrobbles, export, eval --factors-out", () => {
  it("imports three listeners' histories, trains, and writes vectors, a graph and evaluation factors", async () => {
    const download = join(dir, "Spotify Extended Streaming History");
    mkdirSync(download);
    const plays = (offset: number) => Array.from({ length: 40 }, (_, n) => songs[(offset + (n % 8)) % 12]);
    writeFileSync(
      join(download, "Streaming_History_Audio_2026_0.json"),
      JSON.stringify(
        plays(0).map((s, n) => ({
          ts: new Date(Date.UTC(2026, 8, 1, 0, n * 5)).toISOString().replace(".000", ""),
          ms_played: 150_000,
          master_metadata_track_name: s.title,
          master_metadata_album_artist_name: s.artist,
          master_metadata_album_album_name: null,
          spotify_track_uri: s.uri,
          skipped: false,
          incognito_mode: false,
        })),
      ),
    );
    writeFileSync(join(download, "Streaming_History_Video_2026.json"), "[]");
    writeFileSync(join(download, "ReadMeFirst.pdf"), "");
    const listens = join(dir, "listens.jsonl");
    writeFileSync(
      listens,
      plays(3)
        .map((s, n) => JSON.stringify({ listened_at: 1_790_000_000 + n * 300, track_metadata: { artist_name: s.artist, track_name: s.title } }))
        .join("\n"),
    );
    const scrobbles = join(dir, "scrobbles.csv");
    writeFileSync(
      scrobbles,
      plays(6)
        .map((s, n) => `${s.artist},,${s.title},${String(1 + (n % 28)).padStart(2, "0")} Aug 2026 ${String(n % 24).padStart(2, "0")}:00`)
        .join("\n"),
    );

    const missingUser = await run("import", "spotify", download);
    expect(missingUser.code).toBe(2);
    expect(missingUser.err).toContain("needs --user <key>");

    const spotify = await run("import", "spotify", download, "--user", "cli-a", "--json", "--quiet");
    expect(spotify.err).toBe("");
    const report = JSON.parse(spotify.out);
    expect(report.files).toHaveLength(1);
    expect(report.files[0].created).toEqual({ users: 1, artists: 4, tracks: 8, events: 40 });
    expect(report.ignoredFiles.map((f: string) => f.split("/").pop())).toEqual(["Streaming_History_Video_2026.json"]);
    expect((await run("import", "listenbrainz", listens, "--user", "cli-b", "--quiet")).out).toMatch(/: 1 users, 0 artists, 3 tracks, 40 events/);
    expect((await run("import", "lastfm-scrobbles", scrobbles, "--user", "cli-c", "--quiet")).out).toMatch(/: 1 users, 0 artists, 1 tracks, 40 events/);
    const again = await run("import", "lastfm-scrobbles", scrobbles, "--user", "cli-c", "--quiet");
    expect(again.out).toMatch(/: 0 users, 0 artists, 0 tracks, 0 events .*skipped 40 alreadyRecordedPlays/);

    const train = await run("train", "--model", "als", "--quiet");
    expect(train.err).toBe("");
    expect(train.code).toBe(0);
    const vectors = join(dir, "tracks.tsv");
    const exported = await run("export", "vectors", "--model", "als", "--format", "tsv", "--out", vectors, "--quiet");
    expect(exported.err).toBe("");
    const lines = readFileSync(vectors, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1 + 12);
    expect(lines[0].split("\t").slice(0, 7)).toEqual(["entity_id", "external_key", "name", "artist", "genre", "plays", "inherited"]);
    const graph = await run("export", "graph", "--entity", "track", "--format", "graphml", "--k", "3", "--out", join(dir, "g.graphml"), "--json", "--quiet");
    expect(JSON.parse(graph.out)).toMatchObject({ nodes: 12 });
    expect((await run("export", "vectors", "--model", "als", "--format", "xlsx")).code).toBe(2);

    const factors = join(dir, "factors");
    const evaluated = await run(
      "eval",
      "--dataset",
      "db",
      "--model",
      "als",
      "--factors",
      "4",
      "--iterations",
      "3",
      "--factors-out",
      factors,
      "--json",
      "--quiet",
    );
    expect(evaluated.err).toBe("");
    for (const name of ["users.csv", "items.csv", "als.user_factors.csv", "als.item_factors.csv"]) expect(existsSync(join(factors, name))).toBe(true);
    const userFactors = readFileSync(join(factors, "als.user_factors.csv"), "utf8").trim().split("\n");
    expect(userFactors[0]).toBe("user,f0,f1,f2,f3");
    expect(userFactors).toHaveLength(1 + 3);
    expect(readFileSync(join(factors, "items.csv"), "utf8").trim().split("\n")).toHaveLength(1 + 12);
    const refused = await run("eval", "--dataset", "demo", "--model", "blend", "--factors-out", factors);
    expect(refused.code).toBe(2);
  });
});
