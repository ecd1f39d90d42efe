import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, startEmbeddedServer, type Database, type EmbeddedServer } from "@deepcuts/db";
import { importEventsCsv, PARSE_BATCH } from "@deepcuts/engine/importers/csv-events.ts";
import { COPY_BATCH, EventBulkLoader, EventFileLoader } from "@deepcuts/engine/ingest-bulk.ts";
import { EventBatchBuilder, type KeyedEvent } from "@deepcuts/engine/importers/event-batches.ts";
import { insertEvents, upsertArtists, upsertTracks, upsertUsers, type EventKindName, type EventRow } from "@deepcuts/engine/ingest.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

// The COPY path (ingest-bulk.ts) behind every events importer, checked against the row-by-row
// path (insertEvents, one event per statement) on the same events.
const skipPostgres = await postgresUnavailable();
const dir = mkdtempSync(join(tmpdir(), "deepcuts-bulk-"));
const KINDS: [string, EventKindName][] = [
  ["stream", "STREAM"],
  ["stream", "STREAM"],
  ["skip", "SKIP"],
  ["save", "SAVE"],
  ["dislike", "DISLIKE"],
  ["playlist_add", "PLAYLIST_ADD"],
];

interface FileEvent {
  eventId: string;
  user: string;
  track: string | null;
  artist: string;
  kind: string;
  at: string;
  msPlayed: number | null;
}

/** 600 events over 6 listeners, 12 tracks of 4 artists (track k by artist k mod 4), every kind; one event id holds a backslash. */
function fileEvents(prefix: string): FileEvent[] {
  return Array.from({ length: 600 }, (_, i) => {
    const visit = i % 37 === 0;
    const [kind] = visit ? ["artist_visit"] : KINDS[(i * 7) % KINDS.length];
    const track = visit ? null : `bulk-t${(i * 5) % 12}`;
    return {
      eventId: i === 3 ? "odd\\id" : `ev-${i}`,
      user: `${prefix}-u${i % 6}`,
      track,
      artist: `bulk-a${((i * 5) % 12) % 4}`,
      kind,
      at: new Date(Date.UTC(2026, 5, 1) + i * 3_600_000 + (i % 5) * 61_000).toISOString(),
      msPlayed: kind === "stream" || kind === "skip" ? 1000 + ((i * 7919) % 200_000) : null,
    };
  });
}

function csvOf(events: FileEvent[]): string {
  return [
    "event_id,user,kind,track,artist,occurred_at,ms_played",
    ...events.map((e) => `${e.eventId},${e.user},${e.kind},${e.track ?? ""},${e.artist},${e.at},${e.msPlayed ?? ""}`),
  ].join("\n");
}

const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

/** Aggregates of the listeners whose key starts with `prefix`, keyed without it. */
async function aggregates(t: TestDatabase, prefix: string) {
  const tracks = await t.db.query(
    `SELECT substr(u.external_key, length($1) + 1) AS listener, tr.external_key AS track, s.streams, s.saves, s.skips, s.dislikes, s.ms_played::text AS ms, s.last_at
     FROM user_track_stats s JOIN users u ON u.id = s.user_id JOIN tracks tr ON tr.id = s.track_id WHERE u.external_key LIKE $1 || '%' ORDER BY 1, 2`,
    [prefix],
  );
  const artists = await t.db.query(
    `SELECT substr(u.external_key, length($1) + 1) AS listener, a.external_key AS artist, s.plays, s.visits, s.dislikes, s.last_at
     FROM user_artist_stats s JOIN users u ON u.id = s.user_id JOIN artists a ON a.id = s.artist_id WHERE u.external_key LIKE $1 || '%' ORDER BY 1, 2`,
    [prefix],
  );
  const [events] = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM listening_events e JOIN users u ON u.id = e.user_id WHERE u.external_key LIKE $1 || '%'`,
    [prefix],
  );
  return { tracks, artists, events: events.n };
}

async function tableCounts(t: TestDatabase) {
  const [row] = await t.db.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM artists)::int AS artists, (SELECT count(*) FROM tracks)::int AS tracks,
    (SELECT count(*) FROM listening_events)::int AS events, (SELECT coalesce(sum(streams), 0)::int FROM user_track_stats) AS streams,
    (SELECT count(*) FROM user_artist_stats)::int AS artist_stats`);
  return row;
}

describe.each<Target>(["embedded", "postgres"])("bulk event ingest (COPY and one merge) on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  beforeAll(async () => {
    if (!skip) t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)(
    `gives the row-by-row path's aggregates, on top of events already stored, and a re-import adds nothing ${skip ? skipPostgres : ""}`,
    async () => {
      // The row-by-row answer: the same catalogue, and every event in its own insertEvents.
      const rowEvents = fileEvents("row");
      await t.db.transaction(async (query) => {
        const artists = await upsertArtists(
          query,
          Array.from({ length: 4 }, (_, a) => ({ externalKey: `bulk-a${a}`, name: `Artist ${a}` })),
        );
        await upsertTracks(
          query,
          Array.from({ length: 12 }, (_, k) => ({
            externalKey: `bulk-t${k}`,
            title: `Track ${k}`,
            artistId: artists.get(`bulk-a${k % 4}`)!,
            durationMs: 200_000,
          })),
        );
      });
      const users = await upsertUsers(
        t.db.query,
        Array.from({ length: 6 }, (_, u) => ({ externalKey: `row-u${u}`, name: `Row ${u}` })),
      );
      const ids = async (table: string) =>
        new Map((await t.db.query<{ id: number; k: string }>(`SELECT id, external_key AS k FROM ${table}`)).map((r) => [r.k, r.id]));
      const [artistIds, trackIds] = [await ids("artists"), await ids("tracks")];
      for (const e of rowEvents) {
        const kind = e.kind === "artist_visit" ? "ARTIST_VISIT" : KINDS.find(([k]) => k === e.kind)![1];
        const trackId = e.track ? trackIds.get(e.track)! : null;
        await insertEvents(t.db.query, [
          {
            userId: users.get(e.user)!,
            eventId: e.eventId,
            kind,
            trackId,
            artistId: trackId ? null : artistIds.get(e.artist)!,
            occurredAt: new Date(e.at),
            msPlayed: e.msPlayed,
          },
        ]);
      }

      // The bulk side: a third of the events first, then the whole file (the first third again and the rest).
      const bulkEvents = fileEvents("bulk");
      const path = write(`bulk-${target}.csv`, csvOf(bulkEvents));
      const part = await importEventsCsv(t.db, write(`part-${target}.csv`, csvOf(bulkEvents.slice(0, 200))));
      expect(part.created).toEqual({ artists: 0, tracks: 0, events: 200 });
      const whole = await importEventsCsv(t.db, path);
      expect(whole.created.events).toBe(400);
      expect(whole.skipped).toEqual({ alreadyRecordedEvents: 200 });

      const bulk = await aggregates(t, "bulk");
      const row = await aggregates(t, "row");
      expect(bulk.events).toBe(600);
      expect(bulk).toEqual(row);
      // A known answer, counted here from the file: listener u1's streams of track bulk-t5 and their milliseconds.
      const u1t5 = bulkEvents.filter((e) => e.user === "bulk-u1" && e.track === "bulk-t5");
      const mine = bulk.tracks.find((r) => r.listener === "-u1" && r.track === "bulk-t5")!;
      expect(mine.streams).toBe(u1t5.filter((e) => e.kind === "stream").length);
      expect(mine.skips).toBe(u1t5.filter((e) => e.kind === "skip").length);
      expect(mine.ms).toBe(String(u1t5.filter((e) => e.kind === "stream").reduce((sum, e) => sum + e.msPlayed!, 0)));
      expect(mine.streams).toBeGreaterThan(0);
      // The backslash went through COPY's escaping unchanged.
      expect(await t.db.query(`SELECT event_id FROM listening_events WHERE event_id LIKE 'odd%' ORDER BY 1`)).toEqual([
        { event_id: "odd\\id" },
        { event_id: "odd\\id" },
      ]);

      const before = await tableCounts(t);
      const again = await importEventsCsv(t.db, path);
      expect(again.created).toEqual({ artists: 0, tracks: 0, events: 0 });
      expect(await tableCounts(t)).toEqual(before);
      expect(await aggregates(t, "bulk")).toEqual(bulk);
    },
    120_000,
  );

  it.skipIf(skip)(
    "merged in many chunks the totals are the same, and a failure after chunks were merged leaves nothing",
    async () => {
      // The row-by-row listeners ("row-u*") exist from the first test; these are their twins.
      const rowTotals = await aggregates(t, "row");
      const users = await upsertUsers(
        t.db.query,
        Array.from({ length: 6 }, (_, u) => ({ externalKey: `chunk-u${u}`, name: `Chunk ${u}` })),
      );
      const ids = async (table: string) =>
        new Map((await t.db.query<{ id: number; k: string }>(`SELECT id, external_key AS k FROM ${table}`)).map((r) => [r.k, r.id]));
      const [artistIds, trackIds] = [await ids("artists"), await ids("tracks")];
      const rows = fileEvents("chunk").map((e): EventRow => {
        const trackId = e.track ? trackIds.get(e.track)! : null;
        const kind = e.kind === "artist_visit" ? "ARTIST_VISIT" : KINDS.find(([k]) => k === e.kind)![1];
        return {
          userId: users.get(e.user)!,
          eventId: e.eventId,
          kind,
          trackId,
          artistId: trackId ? null : artistIds.get(e.artist)!,
          occurredAt: new Date(e.at),
          msPlayed: e.msPlayed,
        };
      });
      const load = (fail: boolean) =>
        t.db.transaction(async (query, copyRows) => {
          const loader = await EventBulkLoader.open(query, copyRows, { copyBatch: 50, mergeEvery: 100 });
          // Every event twice, the second time in another chunk: still stored once.
          for (let i = 0; i < rows.length; i += 70) await loader.add(rows.slice(i, i + 70));
          await loader.add(rows.slice(0, 130));
          const inserted = await loader.merge();
          if (fail) throw new Error(`failing after ${inserted} events were merged`);
          return inserted;
        });
      const before = await tableCounts(t);
      await expect(load(true)).rejects.toThrow("failing after 600 events were merged");
      expect(await tableCounts(t)).toEqual(before);
      expect(await load(false)).toBe(600);
      expect(await aggregates(t, "chunk")).toEqual(rowTotals);
      expect(await load(false)).toBe(0);
    },
    120_000,
  );

  it.skipIf(skip)(
    "a broken line after a COPY batch has gone out fails the file with its line number and writes nothing",
    async () => {
      // Enough good rows that the loader has sent its first COPY batch before the reader meets the bad one.
      const rows = Math.ceil(COPY_BATCH / PARSE_BATCH) * PARSE_BATCH + 5_000;
      const lines = ["event_id,user,kind,track,artist,occurred_at"];
      for (let i = 0; i < rows; i++) lines.push(`big-${i},big-u${i % 500},stream,big-t${i % 300},big-a${i % 30},2026-07-01T10:00:00Z`);
      lines.push("big-bad,big-u1,stream,big-t1,big-a1,2026-02-30T10:00:00Z");
      const before = await tableCounts(t);
      await expect(importEventsCsv(t.db, write(`broken-${target}.csv`, lines.join("\n")))).rejects.toThrow(
        `broken-${target}.csv:${rows + 2}: occurred_at: is not a calendar date`,
      );
      expect(await tableCounts(t)).toEqual(before);
    },
    120_000,
  );

  it.skipIf(skip)(
    "the file loader in tiny batches, merges and key caches stores the same totals, creates each new track as first named, and fails at a track it cannot create",
    async () => {
      // The row-by-row listeners ("row-u*") exist from the first test; these are their twins, staged by key.
      const rowTotals = await aggregates(t, "row");
      const keyed = fileEvents("tiny").map((e, i): KeyedEvent => ({
        line: i + 2,
        eventId: e.eventId,
        user: e.user,
        userName: `Tiny ${e.user}`,
        timeZone: "UTC",
        track: e.track,
        trackTitle: null,
        durationMs: 0,
        artist: e.track ? null : e.artist,
        kind: e.kind === "artist_visit" ? "ARTIST_VISIT" : KINDS.find(([k]) => k === e.kind)![1],
        occurredAt: new Date(e.at),
        msPlayed: e.msPlayed,
        playlistId: null,
        position: null,
      }));
      // Fresh tracks, each named first with a title, then without one; the last one first without an artist.
      const fresh = (i: number, track: string, artist: string | null, title: string | null): KeyedEvent => ({
        ...keyed[0],
        line: 1000 + i,
        eventId: `fresh-${i}`,
        track,
        artist,
        trackTitle: title,
        durationMs: 1000 * i,
      });
      const load = (events: KeyedEvent[]) =>
        t.db.transaction(async (query, copyRows) => {
          const loader = await EventFileLoader.open(query, copyRows, {
            errorAt: (line, problem) => new Error(`line ${line}: ${problem}`),
            copyBatch: 7,
            mergeEvery: 20,
          });
          try {
            // Every event twice, the second time after several merges: still stored once.
            const builder = new EventBatchBuilder({ copyBatch: 7, mergeEvery: 20, keyCache: 3 });
            for (const e of [...events, ...events]) if (builder.add(e)) await loader.flushBatch(builder.take());
            await loader.flushBatch(builder.take());
            const inserted = await loader.finish();
            return { inserted, artists: loader.createdArtists, tracks: loader.createdTracks };
          } catch (error) {
            await loader.abort();
            throw error;
          }
        });
      expect(await load(keyed)).toEqual({ inserted: 600, artists: 0, tracks: 0 });
      expect(await aggregates(t, "tiny")).toEqual(rowTotals);
      expect(await load(keyed)).toEqual({ inserted: 0, artists: 0, tracks: 0 });
      const [user] = await t.db.query<{ name: string }>(`SELECT name FROM users WHERE external_key = 'tiny-u1'`);
      expect(user.name).toBe("Tiny tiny-u1");

      const created = [
        fresh(0, "tiny-new-t0", "tiny-new-a0", "First Title"),
        fresh(1, "tiny-new-t0", "bulk-a1", "Second Title"),
        fresh(2, "tiny-new-t1", "bulk-a1", null),
      ];
      expect(await load(created)).toEqual({ inserted: 3, artists: 1, tracks: 2 });
      expect(
        await t.db.query(
          `SELECT t.external_key AS track, t.title, t.duration_ms, a.external_key AS artist FROM tracks t JOIN artists a ON a.id = t.artist_id
           WHERE t.external_key LIKE 'tiny-new-%' ORDER BY 1`,
        ),
      ).toEqual([
        { track: "tiny-new-t0", title: "First Title", duration_ms: 0, artist: "tiny-new-a0" },
        { track: "tiny-new-t1", title: "tiny-new-t1", duration_ms: 2000, artist: "bulk-a1" },
      ]);

      const before = await tableCounts(t);
      const orphan = [fresh(3, "tiny-new-t2", "tiny-new-a2", null), fresh(4, "tiny-new-t3", null, null), fresh(5, "tiny-new-t3", "bulk-a1", null)];
      await expect(load(orphan)).rejects.toThrow("line 1004: unknown track 'tiny-new-t3' and no artist to create it with");
      expect(await tableCounts(t)).toEqual(before);
    },
    120_000,
  );
});

describe("bulk event ingest on the embedded database behind its socket server", () => {
  // pglite-socket loses protocol sync on COPY FROM STDIN, so there the loader stages by multi-row INSERT.
  let t: TestDatabase;
  let server: EmbeddedServer;
  let db: Database;
  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    await t.db.close();
    server = await startEmbeddedServer(t.home!);
    db = await openPostgres(server.url, "embedded-server", server.url, 1);
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    await t?.drop();
  });

  it("stores each event once with the counted aggregates, and a broken line writes nothing", async () => {
    const events = fileEvents("sock");
    const path = write("socket.csv", csvOf(events));
    expect((await importEventsCsv(db, path)).created).toEqual({ artists: 4, tracks: 12, events: 600 });
    expect((await importEventsCsv(db, path)).created).toEqual({ artists: 0, tracks: 0, events: 0 });
    const u1t5 = events.filter((e) => e.user === "sock-u1" && e.track === "bulk-t5");
    const [stat] = await db.query<{ streams: number; skips: number; ms: string }>(
      `SELECT streams, skips, ms_played::text AS ms FROM user_track_stats s JOIN users u ON u.id = s.user_id JOIN tracks t ON t.id = s.track_id
       WHERE u.external_key = 'sock-u1' AND t.external_key = 'bulk-t5'`,
    );
    expect(stat).toEqual({
      streams: u1t5.filter((e) => e.kind === "stream").length,
      skips: u1t5.filter((e) => e.kind === "skip").length,
      ms: String(u1t5.filter((e) => e.kind === "stream").reduce((sum, e) => sum + e.msPlayed!, 0)),
    });
    expect(await db.query(`SELECT event_id FROM listening_events WHERE event_id LIKE 'odd%'`)).toEqual([{ event_id: "odd\\id" }]);
    const broken = write("socket-broken.csv", csvOf([...fileEvents("sock2"), { ...events[0], eventId: "late", at: "Jan 2" }]));
    await expect(importEventsCsv(db, broken)).rejects.toThrow("socket-broken.csv:602: occurred_at: must be an ISO 8601 date-time");
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE external_key LIKE 'sock2-%'`);
    expect(n).toBe(0);
  }, 120_000);
});
