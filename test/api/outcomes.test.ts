import { describe, expect, it } from "vitest";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();
const EVENTS = `mutation($u:Int!,$e:[EventInput!]!){ recordEvents(userId:$u, events:$e){ received recorded duplicates } }`;
const SAVE = `mutation($u:Int!,$t:Int!,$p:Int,$pos:Int){ saveTrack(userId:$u, trackId:$t, playlistId:$p, position:$pos){ recorded } }`;
const HIDE = `mutation($u:Int!,$a:Int,$p:Int,$pos:Int){ markNotForMe(userId:$u, artistId:$a, playlistId:$p, position:$pos){ recorded } }`;
const METRICS = `query($w:Int,$v:Int){ outcomeMetrics(weeks:$w, blendVersion:$v){ weekStart blendVersion source metric value lower upper n } }`;
const START = `mutation { startOutcomeMetrics { id kind status } }`;

describe.each<Target>(["embedded", "postgres"])("playlist outcomes through the API on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  it.skipIf(skip)(
    `records outcomes with their slot, refuses a bad slot naming the field, and serves the metrics to curators ${skip ? skipPostgres : ""}`,
    async () => {
      const u = w.userIds[0],
        at = new Date().toISOString();
      const ok = await gql(
        w.api.url,
        EVENTS,
        {
          u,
          e: [
            { eventId: "pl.0.stream", kind: "STREAM", trackId: w.trackIds[0], occurredAt: at, msPlayed: 200_000, playlistId: w.playlistId, position: 0 },
            { eventId: "pl.1.add", kind: "PLAYLIST_ADD", trackId: w.trackIds[1], occurredAt: at, playlistId: w.playlistId, position: 1 },
          ],
        },
        w.keys.listener,
      );
      expect(codesOf(ok)).toEqual([]);
      expect(ok.body.data!.recordEvents).toEqual({ received: 2, recorded: 2, duplicates: 0 });
      const saved = await gql(w.api.url, SAVE, { u, t: w.trackIds[2], p: w.playlistId, pos: 2 }, w.keys.listener);
      expect(saved.body.data!.saveTrack).toEqual({ recorded: 1 });
      // Track 3 belongs to artist 3 (artist i % 4 owns track i).
      const hidden = await gql(w.api.url, HIDE, { u, a: w.artistIds[3], p: w.playlistId, pos: 3 }, w.keys.listener);
      expect(hidden.body.data!.markNotForMe).toEqual({ recorded: 1 });

      const outside = await gql(
        w.api.url,
        EVENTS,
        { u, e: [{ eventId: "pl.x", kind: "SKIP", trackId: w.trackIds[0], occurredAt: at, playlistId: w.playlistId, position: 100 }] },
        w.keys.listener,
      );
      expect(codesOf(outside)).toEqual(["BAD_USER_INPUT"]);
      expect(outside.body.errors![0].message).toContain(`events[0].position: must be 0..99 (playlist ${w.playlistId} has 100 tracks), got 100`);
      // Listener 1 names listener 0's playlist.
      const other = await gql(w.api.url, SAVE, { u: w.userIds[1], t: w.trackIds[0], p: w.playlistId, pos: 0 }, w.keys.otherListener);
      expect(codesOf(other)).toEqual(["BAD_USER_INPUT"]);
      expect(other.body.errors![0].message).toContain(`playlistId: playlist ${w.playlistId} is not one of listener ${w.userIds[1]}'s weekly playlists`);
      const half = await gql(w.api.url, SAVE, { u, t: w.trackIds[0], p: w.playlistId }, w.keys.listener);
      expect(codesOf(half)).toEqual(["BAD_USER_INPUT"]);

      expect(codesOf(await gql(w.api.url, METRICS, {}, w.keys.listener))).toEqual(["FORBIDDEN"]);
      expect(codesOf(await gql(w.api.url, METRICS, { w: 0 }, w.keys.curator))).toEqual(["BAD_USER_INPUT"]);
      const started = await gql(w.api.url, START, {}, w.keys.curator);
      expect(codesOf(started)).toEqual([]);
      const jobId = (started.body.data!.startOutcomeMetrics as { id: string }).id;
      for (let i = 0; i < 300; i++) {
        const r = await gql(w.api.url, `query($id:ID!){ node(id:$id){ ... on Job { status } } }`, { id: jobId }, w.keys.curator);
        const status = (r.body.data?.node as { status?: string } | null)?.status;
        if (status === "SUCCEEDED") break;
        await new Promise((res) => setTimeout(res, 100));
      }
      const metrics = await gql(w.api.url, METRICS, {}, w.keys.curator);
      expect(codesOf(metrics)).toEqual([]);
      const rows = metrics.body.data!.outcomeMetrics as { weekStart: string; source: string; metric: string; value: number; n: number }[];
      const get = (metric: string) => rows.find((r) => r.weekStart === w.weekStart && r.source === "all" && r.metric === metric)!;
      // Listener 0 was served 100 slots this week: 1 streamed, 2 kept (an add and a save), 1 hidden.
      expect(get("REACH")).toMatchObject({ value: 1, n: 1 });
      expect(get("STREAM_RATE").value).toBeCloseTo(0.01, 10);
      expect(get("SAVE_RATE").value).toBeCloseTo(0.02, 10);
      expect(get("HIDES")).toMatchObject({ value: 1, n: 100 });
    },
  );
});
