import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyText, insertingCopyRows, openPostgres, startEmbeddedServer, type Database } from "@deepcuts/db";
import { writeWeeklyPlaylists, type PlaylistToWrite } from "@deepcuts/engine/weekly/generate.ts";
import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
import { createTestDatabase, postgresUnavailable } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL target of playlist-write.test.ts: ${skipPostgres}`);

/**
 * A generation writes playlist items through its transaction's `copyRows`: COPY on PostgreSQL and
 * in-process PGlite, one INSERT of the same rows on PGlite behind its socket server, which has no
 * COPY FROM STDIN. Each must store the same rows, whatever the text and numbers hold.
 */
describe("weekly playlist items written by COPY and by its INSERT stand-in", () => {
  const stores: { name: string; db: Database; drop: () => Promise<void> }[] = [];
  beforeAll(async () => {
    const embedded = await createTestDatabase("embedded");
    stores.push({ name: "embedded", db: embedded.db, drop: () => embedded.drop() });
    const behind = await createTestDatabase("embedded");
    await behind.db.close();
    const server = await startEmbeddedServer(behind.home!);
    const db = await openPostgres(server.url, "embedded-server", server.url, 1);
    stores.push({ name: "embedded-server", db, drop: async () => (await db.close(), await server.stop(), await behind.drop()) });
    if (!skipPostgres) {
      const postgres = await createTestDatabase("postgres");
      stores.push({ name: "postgres", db: postgres.db, drop: () => postgres.drop() });
    }
  });
  afterAll(async () => {
    for (const store of stores) await store.drop();
  });

  it("stores the same items on every target, awkward text and extreme numbers included", async () => {
    const reasons = ["because you played A", "tab\there, a line\nbreak, a \\ backslash and \\N", "carriage\rreturn, \u00e9t\u00e9, \u2603, quotes \" '", ""];
    const numbers = [0.1 + 0.2, -1e-300, 1.7976931348623157e308, 5e-324, -0, 123456789.125];
    const scores = (i: number) =>
      Object.fromEntries(BLEND_SOURCES.map((s, j) => [s, numbers[(i + j) % numbers.length]])) as PlaylistToWrite["effectiveWeights"];
    const stored = [];
    for (const { db } of stores) {
      const [artist] = await db.query<{ id: number }>(`INSERT INTO artists (external_key, name) VALUES ('a', 'A') RETURNING id`);
      const tracks = await db.query<{ id: number }>(
        `INSERT INTO tracks (external_key, title, artist_id, duration_ms) SELECT 't' || g, 'T' || g, $1, 200000 FROM generate_series(1, 6) g RETURNING id`,
        [artist.id],
      );
      const [user] = await db.query<{ id: number }>(`INSERT INTO users (external_key, name) VALUES ('u', 'u') RETURNING id`);
      const [blend] = await db.query<{ id: number }>(
        `INSERT INTO blend_configs (version, weights, constraints, author) VALUES (1, '{}', '{}', 't') RETURNING id`,
      );
      const playlist: PlaylistToWrite = {
        userId: user.id,
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
      };
      const ids = await db.transaction((query, copyRows) => writeWeeklyPlaylists(query, [playlist], { als: 1 }, copyRows));
      stored.push(
        await db.query(
          `SELECT position, track_id, score, scores::text, reason, blend_version, rank, explored, propensity, arm::text
           FROM playlist_items WHERE playlist_id = $1 ORDER BY position`,
          [ids.get(user.id)],
        ),
      );
    }
    const [first, ...rest] = stored;
    expect(first).toHaveLength(6);
    for (const other of rest) expect(other).toEqual(first);
    expect(first.map((r) => r.reason)).toEqual(first.map((_, i) => reasons[i % reasons.length]));
    // Exact doubles; the sign of a zero score is not kept (String() drops it).
    expect(first.map((r) => r.score)).toEqual(numbers.map((x) => (x === 0 ? 0 : x)));
    expect(first.map((r) => r.arm)).toEqual([null, null, "CONTROL", "CONTROL", "CANDIDATE", "CANDIDATE"]);
  });

  it("the INSERT stand-in reads a table's column types once per transaction, however many batches", async () => {
    const { db } = stores.find((s) => s.name === "embedded-server")!;
    let lookups = 0;
    const names = await db.transaction(async (query) => {
      const copyRows = insertingCopyRows(async (sql, params) => {
        if (sql.includes("pg_attribute")) lookups++;
        return query(sql, params);
      });
      for (const batch of [
        ["k1", "One"],
        ["k2", "Two\ttab"],
        ["k3", "Three"],
      ])
        await copyRows("artists", ["external_key", "name"], `copy-${batch[0]}\t${copyText(batch[1])}\n`);
      return query<{ name: string }>(`SELECT name FROM artists WHERE external_key LIKE 'copy-%' ORDER BY external_key`);
    });
    expect(names.map((r) => r.name)).toEqual(["One", "Two\ttab", "Three"]);
    expect(lookups).toBe(1);
  });
});
