import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWeeklyPlaylists, type PlaylistToWrite } from "@deepcuts/engine/weekly/generate.ts";
import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of playlist-write.test.ts: ${skipPostgres}`);

/**
 * A generation writes playlist items by COPY where the database has it, and as one INSERT of a
 * JSON text where it has not (PGlite behind its socket server). Both must store the same rows,
 * whatever the text and numbers hold.
 */
describe.each<Target>(["embedded", "postgres"])("weekly playlist items written by COPY and by INSERT (%s)", (target) => {
  let t: TestDatabase;
  const skip = target === "postgres" && skipPostgres !== null;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)("stores the same items either way, awkward text and extreme numbers included", async () => {
    const [artist] = await t.db.query<{ id: number }>(`INSERT INTO artists (external_key, name) VALUES ('a', 'A') RETURNING id`);
    const tracks = await t.db.query<{ id: number }>(
      `INSERT INTO tracks (external_key, title, artist_id, duration_ms) SELECT 't' || g, 'T' || g, $1, 200000 FROM generate_series(1, 6) g RETURNING id`,
      [artist.id],
    );
    const users = await t.db.query<{ id: number }>(
      `INSERT INTO users (external_key, name) SELECT 'u' || g, 'u' || g FROM generate_series(1, 2) g RETURNING id`,
    );
    const [blend] = await t.db.query<{ id: number }>(
      `INSERT INTO blend_configs (version, weights, constraints, author) VALUES (1, '{}', '{}', 't') RETURNING id`,
    );
    const reasons = ["because you played A", "tab\there, a line\nbreak, a \\ backslash and \\N", "carriage\rreturn, \u00e9t\u00e9, \u2603, quotes \" '", ""];
    const numbers = [0.1 + 0.2, -1e-300, 1.7976931348623157e308, 5e-324, -0, 123456789.125];
    const scores = (i: number) =>
      Object.fromEntries(BLEND_SOURCES.map((s, j) => [s, numbers[(i + j) % numbers.length]])) as PlaylistToWrite["effectiveWeights"];
    const playlist = (userId: number): PlaylistToWrite => ({
      userId,
      week: "2026-11-30",
      status: "SHORT",
      blendId: blend.id,
      exposure: null,
      effectiveWeights: scores(0),
      items: tracks.map((track, i) => ({
        trackId: track.id,
        score: numbers[i],
        scores: scores(i),
        reason: reasons[i % reasons.length],
        rank: i + 1,
        explored: i % 2 === 1,
        propensity: i === 3 ? 0.123456789012345 : 1,
        blendVersion: 1,
        arm: i < 2 ? null : i < 4 ? "CONTROL" : "CANDIDATE",
      })),
    });
    const byCopy = await t.db.transaction(async (query, copyRows) => {
      expect(copyRows).not.toBeNull();
      return writeWeeklyPlaylists(query, [playlist(users[0].id)], { als: 1 }, copyRows);
    });
    const byInsert = await t.db.transaction((query) => writeWeeklyPlaylists(query, [playlist(users[1].id)], { als: 1 }));
    const items = (playlistId: number) =>
      t.db.query(
        `SELECT position, track_id, score, scores::text, reason, blend_version, rank, explored, propensity, arm::text
         FROM playlist_items WHERE playlist_id = $1 ORDER BY position`,
        [playlistId],
      );
    const copied = await items(byCopy.get(users[0].id)!);
    expect(copied).toHaveLength(6);
    expect(copied).toEqual(await items(byInsert.get(users[1].id)!));
    expect(copied.map((r) => r.reason)).toEqual(tracks.map((_, i) => reasons[i % reasons.length]));
    // Exact doubles both ways; the sign of a zero score is not kept (JSON and String() drop it).
    expect(copied.map((r) => r.score)).toEqual(numbers.map((x) => (x === 0 ? 0 : x)));
    expect(copied.map((r) => r.arm)).toEqual([null, null, "CONTROL", "CONTROL", "CANDIDATE", "CANDIDATE"]);
  });
});
