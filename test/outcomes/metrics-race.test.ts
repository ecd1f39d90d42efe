import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeOutcomeMetrics } from "@deepcuts/engine/outcomes/metrics.ts";
import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of metrics-race.test.ts: ${skipPostgres}`);

describe.skipIf(skipPostgres !== null)("online metrics recomputed by several jobs at once on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    // Two listeners with a served playlist of one track in each of two weeks; one streamed hers.
    const db = t.db;
    const [blend] = await db.query<{ id: number }>(
      `INSERT INTO blend_configs (version, weights, constraints, author) VALUES (1, '{}', '{}', 'test') RETURNING id`,
    );
    const [artist] = await db.query<{ id: number }>(`INSERT INTO artists (external_key, name) VALUES ('a', 'A') RETURNING id`);
    const [track] = await db.query<{ id: number }>(
      `INSERT INTO tracks (external_key, title, artist_id, duration_ms) VALUES ('t', 'T', $1, 200000) RETURNING id`,
      [artist.id],
    );
    const scores = JSON.stringify(Object.fromEntries(BLEND_SOURCES.map((s) => [s, 0.2])));
    for (const key of ["u1", "u2"]) {
      const [user] = await db.query<{ id: number }>(`INSERT INTO users (external_key, name) VALUES ($1, $1) RETURNING id`, [key]);
      for (const week of ["2026-11-16", "2026-11-23"]) {
        const [playlist] = await db.query<{ id: number }>(
          `INSERT INTO weekly_playlists (user_id, week_start, status, blend_config_id, model_versions) VALUES ($1, $2, 'COMPLETE', $3, '{}') RETURNING id`,
          [user.id, week, blend.id],
        );
        await db.query(
          `INSERT INTO playlist_items (playlist_id, position, track_id, score, scores, reason, blend_version) VALUES ($1, 0, $2, 1, $3::jsonb, 'test', 1)`,
          [playlist.id, track.id, scores],
        );
        if (key === "u1")
          await db.query(
            `INSERT INTO listening_events (user_id, event_id, kind, track_id, artist_id, occurred_at, ms_played, playlist_id, position)
             VALUES ($1, $2, 'STREAM', $3, $4, $5::date + interval '1 day', 200000, $6, 0)`,
            [user.id, `e-${week}`, track.id, artist.id, week, playlist.id],
          );
      }
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  // The daily METRICS job, one a curator starts, and a SIMULATE job's recomputation may run
  // together: each deletes the weeks' rows its snapshot shows and inserts its own, so all but
  // one failed on the rows the first inserted (outcome_metrics' primary key).
  it("every recomputation succeeds and the weeks hold one set of rows, on an empty table and over stored rows", async () => {
    for (const round of [1, 2]) {
      const reports = await Promise.all(Array.from({ length: 8 }, () => computeOutcomeMetrics(t.db)));
      expect(
        reports.every((r) => r.rows === reports[0].rows && r.rows > 0),
        `round ${round}`,
      ).toBe(true);
      const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outcome_metrics`);
      expect(n, `round ${round}`).toBe(reports[0].rows);
    }
  });
});
