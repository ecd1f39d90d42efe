import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSharedDataset } from "@deepcuts/models/datasets";
import { importEventsCsv } from "@deepcuts/engine/importers/csv-events.ts";
import { importTextsJsonl } from "@deepcuts/engine/importers/jsonl-texts.ts";
import { importLastfm } from "@deepcuts/engine/importers/lastfm.ts";
import { insertEvents, upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const lastfm = findSharedDataset("lastfm-2k");
const skipPostgres = await postgresUnavailable();
const dir = mkdtempSync(join(tmpdir(), "deepcuts-import-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

/** Row counts of every table an import writes: "nothing written" means these do not move. */
async function tableCounts(t: TestDatabase) {
  const [row] = await t.db.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM artists)::int AS artists,
    (SELECT count(*) FROM tracks)::int AS tracks, (SELECT count(*) FROM listening_events)::int AS events,
    (SELECT count(*) FROM user_track_stats)::int AS track_stats, (SELECT count(*) FROM user_artist_stats)::int AS artist_stats,
    (SELECT coalesce(sum(streams), 0)::int FROM user_track_stats) AS streams,
    (SELECT count(*) FROM documents)::int AS documents`);
  return row;
}

describe.each<Target>(["embedded", "postgres"])("imports on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip || !lastfm.path)(
    `imports Last.fm 2K: 1,892 users, 17,632 artists, 92,834 play counts; twice changes nothing ${lastfm.reason} ${skip ? skipPostgres : ""}`,
    async () => {
      const report = await importLastfm(t.db, lastfm.path!);
      expect(report.created).toMatchObject({ users: 1892, artists: 17632, playCounts: 92834 });
      const counts = await t.db.query<{ users: number; artists: number; plays: number; total: number }>(
        `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM artists)::int AS artists,
              (SELECT count(*) FROM user_artist_stats WHERE plays > 0)::int AS plays, (SELECT sum(plays)::float8 FROM user_artist_stats) AS total`,
      );
      expect(counts[0]).toMatchObject({ users: 1892, artists: 17632, plays: 92834 });
      const before = await tableCounts(t);
      const again = await importLastfm(t.db, lastfm.path!);
      expect(again.created).toEqual({ users: 0, artists: 0, playCounts: 0, tagDocuments: 0 });
      expect(await tableCounts(t)).toEqual(before);
    },
  );

  it.skipIf(skip)("rejects a malformed Last.fm folder with file and line, writing nothing", async () => {
    const bad = mkdtempSync(join(tmpdir(), "lastfm-bad-"));
    writeFileSync(join(bad, "artists.dat"), "id\tname\turl\tpictureURL\n1\tA\tu\tp\n2\tB\tu\tp\n");
    writeFileSync(join(bad, "user_artists.dat"), "userID\tartistID\tweight\n7\t1\t10\n7\t2\t-3\n");
    const before = await tableCounts(t);
    await expect(importLastfm(t.db, bad)).rejects.toThrow("user_artists.dat:3: weight must be a non-negative integer, got '-3'");
    expect(await tableCounts(t)).toEqual(before);
  });

  it.skipIf(skip)("imports a CSV of events once, however often it runs, and rejects a bad row with its line", async () => {
    const csv = file(
      `events-${target}.csv`,
      [
        "event_id,user,time_zone,track,track_title,artist,kind,occurred_at,ms_played",
        "e1,csv-ann,Europe/Paris,csv-t1,First Song,csv-artist-a,stream,2026-11-01T10:00:00Z,180000",
        "e2,csv-ann,Europe/Paris,csv-t1,First Song,csv-artist-a,stream,2026-11-02T10:00:00Z,170000",
        'e3,csv-ann,Europe/Paris,csv-t2,"Second, with comma",csv-artist-b,save,2026-11-02T11:00:00Z,',
        "e4,csv-bob,UTC,,,csv-artist-a,artist_visit,2026-11-03T09:00:00Z,",
      ].join("\n"),
    );
    const before = await tableCounts(t);
    const first = await importEventsCsv(t.db, csv);
    expect(first.created).toEqual({ artists: 2, tracks: 2, events: 4 });
    const after = await tableCounts(t);
    expect(after.events - before.events).toBe(4);
    expect(after.streams - before.streams).toBe(2);
    const second = await importEventsCsv(t.db, csv);
    expect(second.created.events).toBe(0);
    expect(await tableCounts(t)).toEqual(after);
    const visits = await t.db.query<{ visits: number }>(
      `SELECT s.visits FROM user_artist_stats s JOIN users u ON u.id = s.user_id JOIN artists a ON a.id = s.artist_id
       WHERE u.external_key = 'csv-bob' AND a.external_key = 'csv-artist-a'`,
    );
    expect(visits[0].visits).toBe(1);

    const bad = file(
      `bad-${target}.csv`,
      [
        "event_id,user,track,artist,kind,occurred_at",
        "x1,csv-carl,csv-t9,csv-artist-c,stream,2026-11-01T10:00:00Z",
        "x2,csv-carl,csv-t9,csv-artist-c,stream,yesterday",
      ].join("\n"),
    );
    await expect(importEventsCsv(t.db, bad)).rejects.toThrow("3: occurred_at: must be an ISO 8601 date-time with a zone");
    // The shared instant rule: no impossible calendar dates, nothing before 2000, nothing days ahead.
    for (const [when, problem] of [
      ["2026-02-30T00:00:00Z", "is not a calendar date"],
      ["0001-01-01T00:00:00Z", "must be on or after 2000-01-01"],
      ["2999-01-01T00:00:00Z", "must be no later than a day from now"],
    ]) {
      const impossible = file(
        `impossible-${target}.csv`,
        ["event_id,user,track,artist,kind,occurred_at", `y1,csv-dan,csv-t9,csv-artist-c,stream,${when}`].join("\n"),
      );
      await expect(importEventsCsv(t.db, impossible)).rejects.toThrow(`2: occurred_at: ${problem}`);
    }
    const control = file(
      `control-${target}.csv`,
      ["event_id,user,track,artist,kind,occurred_at", "y2,csv-\u0000dan,csv-t9,csv-artist-c,stream,2026-11-01T10:00:00Z"].join("\n"),
    );
    await expect(importEventsCsv(t.db, control)).rejects.toThrow("2: user: must not contain control characters");
    expect(await tableCounts(t)).toEqual(after);
  });

  it.skipIf(skip)("imports JSON-lines texts, naming the line of an unknown entity and writing nothing then", async () => {
    const good = file(
      `texts-${target}.jsonl`,
      [
        JSON.stringify({ entity: "artist", key: "csv-artist-a", source: "review", text: "Driving synth bass and smoky vocals." }),
        JSON.stringify({ entity: "track", key: "csv-t1", text: "A late-night anthem." }),
      ].join("\n"),
    );
    expect((await importTextsJsonl(t.db, good)).created.documents).toBe(2);
    expect((await importTextsJsonl(t.db, good)).created.documents).toBe(0);
    const before = await tableCounts(t);
    const bad = file(
      `texts-bad-${target}.jsonl`,
      [
        JSON.stringify({ entity: "artist", key: "csv-artist-b", text: "Fine." }),
        "",
        JSON.stringify({ entity: "artist", key: "nobody", text: "Unknown." }),
      ].join("\n"),
    );
    await expect(importTextsJsonl(t.db, bad)).rejects.toThrow("3: unknown artist 'nobody'");
    const broken = file(`texts-broken-${target}.jsonl`, '{"entity": "artist", "key": "csv-artist-b", "text": "ok"}\n{"entity": ');
    await expect(importTextsJsonl(t.db, broken)).rejects.toThrow(/:2: not valid JSON/);
    expect(await tableCounts(t)).toEqual(before);
  });

  it.skipIf(skip)("counts a retried event batch once, even when both copies arrive together", async () => {
    await t.db.transaction(async (query) => {
      const users = await upsertUsers(query, [{ externalKey: "retry-user", name: "Retry" }]);
      const artists = await upsertArtists(query, [{ externalKey: "retry-artist", name: "Retry Artist" }]);
      await upsertTracks(query, [{ externalKey: "retry-track", title: "Again", artistId: artists.get("retry-artist")!, durationMs: 1000 }]);
      void users;
    });
    const [{ id: userId }] = await t.db.query<{ id: number }>(`SELECT id FROM users WHERE external_key = 'retry-user'`);
    const [{ id: trackId }] = await t.db.query<{ id: number }>(`SELECT id FROM tracks WHERE external_key = 'retry-track'`);
    const batch = Array.from({ length: 50 }, (_, i) => ({
      userId,
      eventId: `r${i}`,
      kind: "STREAM" as const,
      trackId,
      occurredAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
      msPlayed: 1000,
    }));
    const results = await Promise.all([insertEvents(t.db.query, batch), insertEvents(t.db.query, batch), insertEvents(t.db.query, [...batch, ...batch])]);
    expect(results.reduce((a, b) => a + b, 0)).toBe(50);
    expect(await insertEvents(t.db.query, batch)).toBe(0);
    const [stat] = await t.db.query<{ streams: number; ms: number }>(
      `SELECT streams, ms_played::int AS ms FROM user_track_stats WHERE user_id = $1 AND track_id = $2`,
      [userId, trackId],
    );
    expect(stat).toEqual({ streams: 50, ms: 50_000 });
  });
});
