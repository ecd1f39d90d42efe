import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { importEvents, importEventsCsv } from "@deepcuts/engine/importers/csv-events.ts";
import { markNotForMe, recordEventBatch, saveTrack } from "@deepcuts/engine/listener/events.ts";
import { NOT_FOR_ME_STRENGTH, loadInteractions } from "@deepcuts/engine/training/interactions.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
const quietBar = () => ({ callback: () => {}, done: () => {} });
const now = new Date("2026-11-25T12:00:00Z");
const at = new Date("2026-11-25T13:00:00Z");

interface Slot {
  playlistId: number;
  userId: number;
  position: number;
  trackId: number;
  artistId: number;
  userKey: string;
  trackKey: string;
}

describe.each<Target>(["embedded", "postgres"])("outcome events tied to a playlist slot on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let slots: Slot[];
  const slotOf = (userIndex: number, position: number) => slots.filter((s) => s.userId === [...new Set(slots.map((x) => x.userId))][userIndex])[position];

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    await loadDemoWorld(t.db, generateWorld({ seed: 3, listeners: 40, artists: 40, tracks: 400, events: 4_000, now: new Date("2026-11-25T00:00:00Z") }));
    await trainModels(t.db, ["popularity"], { threads: 1, progress: quietBar });
    await generateDuePlaylists(t.db, { now });
    slots = await t.db.query<Slot>(
      `SELECT p.id AS "playlistId", p.user_id AS "userId", i.position, i.track_id AS "trackId", tr.artist_id AS "artistId", u.external_key AS "userKey", tr.external_key AS "trackKey"
       FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id JOIN tracks tr ON tr.id = i.track_id JOIN users u ON u.id = p.user_id
       ORDER BY p.user_id, i.position`,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)(
    `logs what was served: blend version, source scores, rank, and 3 exploration slots with their probabilities ${skip ? skipPostgres : ""}`,
    async () => {
      const items = await t.db.query<{
        playlist_id: number;
        status: string;
        blend_version: number;
        version: number;
        rank: number;
        explored: boolean;
        propensity: number;
        scores: Record<string, number>;
      }>(
        `SELECT i.playlist_id, p.status, i.blend_version, b.version, i.rank, i.explored, i.propensity, i.scores
       FROM playlist_items i JOIN weekly_playlists p ON p.id = i.playlist_id JOIN blend_configs b ON b.id = p.blend_config_id`,
      );
      expect(items.length).toBeGreaterThan(30 * 30);
      for (const it of items) {
        expect(it.blend_version).toBe(it.version);
        expect(it.rank).toBeGreaterThanOrEqual(1);
        expect(Object.keys(it.scores).sort()).toEqual(["audio", "coMention", "collaborative", "novelty", "popularity", "text"]);
        if (it.explored) expect(it.propensity > 0 && it.propensity <= 1).toBe(true);
        else expect(it.propensity).toBe(1);
      }
      // Drawn from a pool of many candidates: most probabilities are small.
      const drawn = items
        .filter((it) => it.explored)
        .map((it) => it.propensity)
        .sort((a, b) => a - b);
      expect(drawn[Math.floor(drawn.length / 2)]).toBeLessThan(0.05);
      const perPlaylist = new Map<number, number>();
      for (const it of items) perPlaylist.set(it.playlist_id, (perPlaylist.get(it.playlist_id) ?? 0) + (it.explored ? 1 : 0));
      const complete = items.filter((it) => it.status === "COMPLETE").map((it) => it.playlist_id);
      for (const id of new Set(complete)) expect(perPlaylist.get(id)).toBe(3);
      // Exploration reaches further down the blend than its own picks do.
      const maxRank = (explored: boolean) => Math.max(...items.filter((it) => it.explored === explored).map((it) => it.rank));
      expect(maxRank(true)).toBeGreaterThan(maxRank(false));
    },
  );

  it.skipIf(skip)(`stores the slot with each event, once per event id ${skip ? skipPostgres : ""}`, async () => {
    const s = slotOf(0, 0),
      s2 = slotOf(0, 1);
    const events = [
      { eventId: "o1", kind: "STREAM" as const, trackId: s.trackId, occurredAt: at, msPlayed: 45_000, playlistId: s.playlistId, position: s.position },
      { eventId: "o2", kind: "PLAYLIST_ADD" as const, trackId: s.trackId, occurredAt: at, playlistId: s.playlistId, position: s.position },
      { eventId: "o3", kind: "SKIP" as const, trackId: s2.trackId, occurredAt: at, msPlayed: 4_000, playlistId: s2.playlistId, position: s2.position },
      { eventId: "o4", kind: "STREAM" as const, trackId: s2.trackId, occurredAt: at, msPlayed: 60_000 },
    ];
    expect(await recordEventBatch(t.db, s.userId, events)).toEqual({ received: 4, recorded: 4, duplicates: 0 });
    expect(await recordEventBatch(t.db, s.userId, events)).toEqual({ received: 4, recorded: 0, duplicates: 4 });
    expect(await saveTrack(t.db, s.userId, s.trackId, null, { playlistId: s.playlistId, position: s.position })).toMatchObject({ recorded: 1 });
    expect(await markNotForMe(t.db, s.userId, { artistId: s2.artistId }, null, { playlistId: s2.playlistId, position: s2.position })).toMatchObject({
      recorded: 1,
    });
    const rows = await t.db.query<{ event_id: string; kind: string; playlist_id: number | null; position: number | null }>(
      `SELECT event_id, kind, playlist_id, position FROM listening_events WHERE user_id = $1 AND (playlist_id IS NOT NULL OR event_id = 'o4') ORDER BY event_id`,
      [s.userId],
    );
    expect(rows).toEqual([
      { event_id: `dislike.artist.${s2.artistId}`, kind: "DISLIKE", playlist_id: s2.playlistId, position: s2.position },
      { event_id: "o1", kind: "STREAM", playlist_id: s.playlistId, position: s.position },
      { event_id: "o2", kind: "PLAYLIST_ADD", playlist_id: s.playlistId, position: s.position },
      { event_id: "o3", kind: "SKIP", playlist_id: s2.playlistId, position: s2.position },
      { event_id: "o4", kind: "STREAM", playlist_id: null, position: null },
      { event_id: `save.${s.trackId}`, kind: "SAVE", playlist_id: s.playlistId, position: s.position },
    ]);
    // An add to another playlist counts as a save in the training aggregates.
    const [stat] = await t.db.query<{ saves: number; streams: number }>(`SELECT saves, streams FROM user_track_stats WHERE user_id = $1 AND track_id = $2`, [
      s.userId,
      s.trackId,
    ]);
    expect(stat).toEqual({ saves: 2, streams: 1 });
  });

  it.skipIf(skip)(`rejects a bad slot naming the field, and stores nothing of the batch ${skip ? skipPostgres : ""}`, async () => {
    const mine = slotOf(1, 2),
      theirs = slotOf(2, 0);
    const [{ n: before }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events`);
    const ok = { eventId: "ok", kind: "STREAM" as const, trackId: mine.trackId, occurredAt: at, msPlayed: 40_000 };
    const bad = (patch: object) =>
      recordEventBatch(t.db, mine.userId, [ok, { ...ok, eventId: "bad", playlistId: mine.playlistId, position: mine.position, ...patch }]);
    await expect(bad({ position: 30 })).rejects.toThrow(`events[1].position: must be 0..29 (playlist ${mine.playlistId} has 30 tracks), got 30`);
    await expect(bad({ position: -1 })).rejects.toThrow("events[1].position: must be an integer >= 0 (positions are 0-based), got -1");
    await expect(bad({ position: null })).rejects.toThrow("events[1].position: is required with playlistId");
    await expect(bad({ playlistId: theirs.playlistId, position: 0, trackId: theirs.trackId })).rejects.toThrow(
      `events[1].playlistId: playlist ${theirs.playlistId} is not one of listener ${mine.userId}'s weekly playlists`,
    );
    await expect(bad({ playlistId: 999_999 })).rejects.toThrow(
      `events[1].playlistId: playlist 999999 is not one of listener ${mine.userId}'s weekly playlists`,
    );
    await expect(bad({ position: mine.position + 1 })).rejects.toThrow(
      `events[1].trackId: is ${mine.trackId} but position ${mine.position + 1} of playlist ${mine.playlistId} holds track`,
    );
    await expect(saveTrack(t.db, mine.userId, mine.trackId, null, { playlistId: theirs.playlistId, position: 0 })).rejects.toThrow(
      `playlistId: playlist ${theirs.playlistId} is not one of`,
    );
    const [{ n: after }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events`);
    expect(after).toBe(before);
  });

  it.skipIf(skip)(`imports the slot from CSV and JSON lines, with the line of a bad one ${skip ? skipPostgres : ""}`, async () => {
    const s = slotOf(3, 4),
      other = slotOf(4, 0);
    const dir = mkdtempSync(join(tmpdir(), "deepcuts-outcomes-"));
    const csv = join(dir, "events.csv");
    writeFileSync(
      csv,
      `user,track,kind,occurred_at,ms_played,playlist_id,position\n${s.userKey},${s.trackKey},skip,2026-11-25T14:00:00Z,3000,${s.playlistId},${s.position}\n${s.userKey},${s.trackKey},not_for_me,2026-11-25T14:01:00Z,,${s.playlistId},${s.position}\n`,
    );
    const report = await importEventsCsv(t.db, csv);
    expect(report.created.events).toBe(2);
    const rows = await t.db.query<{ kind: string; position: number }>(
      `SELECT kind, position FROM listening_events WHERE playlist_id = $1 ORDER BY kind::text`,
      [s.playlistId],
    );
    expect(rows).toEqual([
      { kind: "DISLIKE", position: s.position },
      { kind: "SKIP", position: s.position },
    ]);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, `user,track,kind,occurred_at,playlist_id,position\n${s.userKey},${s.trackKey},stream,2026-11-25T14:00:00Z,${other.playlistId},0\n`);
    await expect(importEventsCsv(t.db, bad)).rejects.toThrow(
      `bad.csv:2: playlist_id: playlist ${other.playlistId} is not one of listener ${s.userId}'s weekly playlists`,
    );

    // The same as JSON lines, with the slot as numbers.
    const next = slotOf(3, 5);
    const jsonl = join(dir, "events.jsonl");
    writeFileSync(
      jsonl,
      `${JSON.stringify({ user: next.userKey, track: next.trackKey, kind: "playlist_add", occurred_at: "2026-11-25T15:00:00Z", playlist_id: next.playlistId, position: next.position })}\n`,
    );
    expect((await importEvents(t.db, jsonl)).created.events).toBe(1);
    const [added] = await t.db.query<{ kind: string }>(`SELECT kind FROM listening_events WHERE playlist_id = $1 AND position = $2`, [
      next.playlistId,
      next.position,
    ]);
    expect(added.kind).toBe("PLAYLIST_ADD");
    const badJson = join(dir, "bad.jsonl");
    writeFileSync(
      badJson,
      `\n${JSON.stringify({ user: next.userKey, track: next.trackKey, kind: "stream", occurred_at: "2026-11-25T15:00:00Z", playlist_id: next.playlistId, position: 99 })}\n`,
    );
    await expect(importEvents(t.db, badJson)).rejects.toThrow(`bad.jsonl:2: position: must be 0..29 (playlist ${next.playlistId} has 30 tracks), got 99`);
    writeFileSync(badJson, `${JSON.stringify({ user: next.userKey, colour: "red" })}\n`);
    await expect(importEvents(t.db, badJson)).rejects.toThrow("bad.jsonl:1: unknown field 'colour'");

    // Skips and "not for me" of tracks never streamed reach training as explicit negatives.
    const interactions = await loadInteractions(t.db);
    const n = interactions.negatives!;
    const u = interactions.users.indexOf(s.userId),
      i = interactions.items.indexOf(s.trackId);
    let strength = 0;
    for (let q = n.indptr[u]; q < n.indptr[u + 1]; q++) if (n.indices[q] === i) strength = n.data[q];
    expect(strength).toBe(1 + NOT_FOR_ME_STRENGTH);
    // Logistic MF trains with them and says how many it saw.
    const [lmf] = await trainModels(t.db, ["lmf"], { threads: 1, progress: quietBar });
    const [version] = await t.db.query<{ metrics: { explicitNegatives: number } }>(`SELECT metrics FROM model_versions WHERE id = $1`, [lmf.versionId]);
    expect(version.metrics.explicitNegatives).toBe(n.indptr[n.rows]);
    expect(version.metrics.explicitNegatives).toBeGreaterThan(0);
  });
});
