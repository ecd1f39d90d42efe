import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { loadHistories } from "@deepcuts/engine/weekly/histories.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

let t: TestDatabase;
let userIds: number[];

/** Skipped-only artists by their definition, in SQL over every track row (what loadHistories once ran). */
async function skippedOnlyBySql(ids: number[]): Promise<Map<number, number[]>> {
  const rows = await t.db.query<{ user_id: number; artist_id: number }>(
    `SELECT s.user_id, t.artist_id FROM user_track_stats s JOIN tracks t ON t.id = s.track_id
     WHERE s.user_id = ANY($1::int[])
     GROUP BY s.user_id, t.artist_id HAVING sum(s.streams) = 0 AND sum(s.saves) = 0 AND sum(s.skips) >= 2`,
    [ids],
  );
  const out = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (const r of rows) out.get(r.user_id)!.push(r.artist_id);
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase("embedded");
  await loadDemoWorld(t.db, generateWorld({ seed: 5, listeners: 60, artists: 30, tracks: 300, events: 6_000, now: new Date("2026-11-25T00:00:00Z") }));
  userIds = (await t.db.query<{ id: number }>(`SELECT id FROM users ORDER BY id`)).map((r) => r.id);
  // Skips where the world has few: on every third listener's rows of every other artist, no
  // streams or saves and 1 skip a track (two tracks of an artist make it skipped-only, one does not);
  // then one of those artists' tracks streamed again for every sixth listener.
  await t.db.query(
    `UPDATE user_track_stats s SET streams = 0, saves = 0, skips = 1 FROM tracks t
     WHERE t.id = s.track_id AND s.user_id % 3 = 0 AND t.artist_id % 2 = 0`,
  );
  await t.db.query(
    `UPDATE user_track_stats s SET streams = 1 WHERE (s.user_id, s.track_id) IN (
       SELECT DISTINCT ON (s.user_id) s.user_id, s.track_id FROM user_track_stats s JOIN tracks t ON t.id = s.track_id
       WHERE s.user_id % 6 = 0 AND t.artist_id % 2 = 0 ORDER BY s.user_id, s.track_id)`,
  );
});

afterAll(async () => {
  await t?.drop();
});

describe("listener histories", () => {
  it("finds the skipped-only artists of the definition, with the artists read or taken from a loaded catalogue", async () => {
    const expected = await skippedOnlyBySql(userIds);
    const withSome = [...expected.values()].filter((a) => a.length > 0).length;
    expect(withSome).toBeGreaterThan(3);
    expect(withSome).toBeLessThan(userIds.length);

    const tracks = await t.db.query<{ id: number; artist_id: number }>(`SELECT id, artist_id FROM tracks ORDER BY id`);
    const whole = { indexOfTrack: new Map(tracks.map((r, i) => [r.id, i])), artistOf: Int32Array.from(tracks, (r) => r.artist_id) };
    // A catalogue loaded before half of the tracks existed: the rest are read from the database.
    const half = { indexOfTrack: new Map(tracks.filter((_, i) => i % 2 === 0).map((r) => [r.id, whole.indexOfTrack.get(r.id)!])), artistOf: whole.artistOf };
    for (const catalogue of [undefined, whole, half]) {
      const histories = await loadHistories(t.db, userIds, catalogue);
      for (const id of userIds)
        expect(
          [...histories.get(id)!.skippedOnlyArtists].sort((a, b) => a - b),
          `listener ${id}`,
        ).toEqual(expected.get(id));
    }
  });
});
