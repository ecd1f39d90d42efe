// The curator's reports through the API on a small trained demo world: the weekly summary of the
// overview and the blend evaluation on the validation split.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { DEFAULT_MODELS, trainModels } from "@deepcuts/engine/training/train.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { startApi, type RunningApi } from "../../apps/api/src/server.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { inOneTimeZone } from "../support/worlds.ts";
import { codesOf, gql } from "./support.ts";

const SUMMARY = `query($w:Int){ weeklySummaries(weeks:$w){ weekStart playlists coldStartPlaylists shortPlaylists slots tracksPlaced catalogueTracks coverage newArtistShare coldStartTracks coldStartSlots blendVersions } }`;
const EVALUATE = `query($w:BlendWeightsInput!,$c:BlendConstraintsInput!,$n:Int){ evaluateBlend(weights:$w, constraints:$c, listeners:$n){
  ready candidate { recall coverage artistDiversity novelty } active { recall coverage artistDiversity novelty } activeVersion playlistSize listeners sampled complete heldOutTracks } }`;

type Metrics = { recall: number; coverage: number; artistDiversity: number; novelty: number };
type Evaluation = {
  ready: boolean;
  candidate: Metrics;
  active: Metrics;
  activeVersion: number;
  playlistSize: number;
  listeners: number;
  sampled: number;
  complete: boolean;
  heldOutTracks: number;
};

describe("curator reports through the API (embedded database, small demo world)", () => {
  let t: TestDatabase;
  let api: RunningApi;
  let curator: string, listener: string;
  const noProgress = () => ({ callback() {}, done() {} });

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    // One time zone: this week is one week at any hour (worlds.ts).
    await loadDemoWorld(t.db, inOneTimeZone(generateWorld({ listeners: 50, artists: 20, tracks: 200, events: 5000 })));
    await trainModels(t.db, DEFAULT_MODELS, { threads: 1, progress: noProgress });
    await generateDuePlaylists(t.db);
    curator = (await createApiKey(t.db, { name: "reports curator", role: "CURATOR" })).key;
    const [first] = await t.db.query<{ id: number }>(`SELECT id FROM users ORDER BY id LIMIT 1`);
    listener = (await createApiKey(t.db, { name: "reports listener", role: "LISTENER", userId: first.id })).key;
    api = await startApi(t.db, 0);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await t?.drop();
  });

  it("summarises this week's playlists as the stored rows and the earlier listening say", async () => {
    const r = await gql(api.url, SUMMARY, {}, curator);
    expect(codesOf(r)).toEqual([]);
    const [week, ...older] = r.body.data!.weeklySummaries as Record<string, number | string | number[]>[];
    expect(older).toEqual([]);
    // Recount from the rows, in JavaScript.
    const slots = await t.db.query<{ playlist_id: number; user_id: number; track_id: number; artist_id: number; status: string; week: string }>(
      `SELECT p.id AS playlist_id, p.user_id, i.track_id, tr.artist_id, p.status::text AS status, to_char(p.week_start, 'YYYY-MM-DD') AS week
       FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id JOIN tracks tr ON tr.id = i.track_id`,
    );
    const streams = await t.db.query<{ user_id: number; track_id: number; artist_id: number; at: Date }>(
      `SELECT user_id, track_id, artist_id, occurred_at AS at FROM listening_events WHERE kind = 'STREAM'`,
    );
    const weekStart = Date.parse(`${String(week.weekStart)}T00:00:00Z`);
    const before = streams.filter((s) => s.at.getTime() < weekStart);
    const heardArtist = new Set(before.map((s) => `${s.user_id}.${s.artist_id}`));
    const streamedTrack = new Set(before.map((s) => s.track_id));
    const [{ n: catalogue }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tracks`);
    const placed = new Set(slots.map((s) => s.track_id));
    const cold = slots.filter((s) => !streamedTrack.has(s.track_id));
    expect(week).toMatchObject({
      weekStart: slots[0].week,
      playlists: new Set(slots.map((s) => s.playlist_id)).size,
      coldStartPlaylists: new Set(slots.filter((s) => s.status === "COLD_START").map((s) => s.playlist_id)).size,
      slots: slots.length,
      tracksPlaced: placed.size,
      catalogueTracks: catalogue,
      coldStartTracks: new Set(cold.map((s) => s.track_id)).size,
      coldStartSlots: cold.length,
      blendVersions: [1],
    });
    expect(week.coverage).toBeCloseTo(placed.size / catalogue, 12);
    expect(week.newArtistShare).toBeCloseTo(slots.filter((s) => !heardArtist.has(`${s.user_id}.${s.artist_id}`)).length / slots.length, 12);
    // The demo world has brand-new tracks, and the blend places some of them.
    expect(week.coldStartTracks).toBeGreaterThan(0);
    expect(codesOf(await gql(api.url, SUMMARY, { w: 0 }, curator))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await gql(api.url, SUMMARY, {}, listener))).toEqual(["FORBIDDEN"]);
  });

  it("evaluates unsaved weights on the validation split beside the active blend, on the same listeners", async () => {
    const { body } = await gql(
      api.url,
      `{ activeBlendConfig { version weights { collaborative text audio coMention popularity novelty } constraints { playlistSize artistCap knownArtistShare diversity excludeSkipped } } }`,
      {},
      curator,
    );
    const active = body.data!.activeBlendConfig as { version: number; weights: Record<string, number>; constraints: Record<string, number | boolean> };
    // The first call prepares the split (a collaborative refit): on a busy machine it may answer "not ready" first.
    let same = await gql(api.url, EVALUATE, { w: active.weights, c: active.constraints }, curator);
    for (let i = 0; i < 60 && (same.body.data?.evaluateBlend as Evaluation | undefined)?.ready === false; i++) {
      expect((same.body.data!.evaluateBlend as Evaluation).candidate).toBeNull();
      await new Promise((r) => setTimeout(r, 1000));
      same = await gql(api.url, EVALUATE, { w: active.weights, c: active.constraints }, curator);
    }
    expect(codesOf(same)).toEqual([]);
    const e = same.body.data!.evaluateBlend as Evaluation;
    expect(e).toMatchObject({ ready: true, activeVersion: active.version, playlistSize: active.constraints.playlistSize, complete: true });
    expect(e.listeners).toBe(e.sampled);
    expect(e.listeners).toBeGreaterThan(20);
    expect(e.heldOutTracks).toBeGreaterThan(e.listeners);
    // The same settings on the same listeners: the same figures.
    expect(e.candidate).toEqual(e.active);
    for (const v of [e.active.recall, e.active.coverage, e.active.artistDiversity]) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
    }

    // Popularity alone: more mainstream tracks (lower novelty) and fewer distinct ones. (On a world
    // this small it finds about as much held-out listening as the blend: recall is compared below.)
    const only = async (source: string) =>
      (
        (await gql(api.url, EVALUATE, { w: { collaborative: 0, text: 0, audio: 0, popularity: 0, novelty: 0, [source]: 1 }, c: active.constraints }, curator))
          .body.data!.evaluateBlend as Evaluation
      ).candidate;
    const p = await only("popularity");
    expect(p.novelty).toBeLessThan(e.active.novelty);
    expect(p.coverage).toBeLessThan(e.active.coverage);
    // Novelty alone (any artist new to the listener, nothing about taste) finds less than the blend.
    expect((await only("novelty")).recall).toBeLessThan(e.active.recall);
    // A smaller sample covers fewer listeners; the active figures move with the sample.
    const small = (await gql(api.url, EVALUATE, { w: active.weights, c: active.constraints, n: 5 }, curator)).body.data!.evaluateBlend as Evaluation;
    expect(small.listeners).toBe(5);

    const bad = await gql(api.url, EVALUATE, { w: { ...active.weights, text: 11 }, c: active.constraints }, curator);
    expect(codesOf(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.body.errors![0].message).toContain("weights.text");
    const none = await gql(api.url, EVALUATE, { w: active.weights, c: active.constraints, n: 0 }, curator);
    expect(codesOf(none)).toEqual(["BAD_USER_INPUT"]);
    expect(none.body.errors![0].message).toContain("listeners");
    expect(codesOf(await gql(api.url, EVALUATE, { w: active.weights, c: active.constraints }, listener))).toEqual(["FORBIDDEN"]);
  });
});
