import { beforeAll, describe, expect, it } from "vitest";
import { insertEvents, type EventRow } from "@deepcuts/engine/ingest.ts";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();

const HISTORY = `query($u:Int!,$f:Int,$a:String){ listeningHistory(userId:$u, first:$f, after:$a){ totalCount pageInfo{ endCursor hasNextPage }
  edges{ cursor node{ eventId kind occurredAt msPlayed track{ id: databaseId title artist{ name } } artist{ id: databaseId name } } } } }`;
const TOP = `query($u:Int!,$f:Int){ topArtists(userId:$u, first:$f){ totalPlays totalArtists artists{ artist{ id: databaseId name } plays share tracksPlayed lastPlayedAt } } }`;

interface HistoryNode {
  eventId: string;
  kind: string;
  occurredAt: string;
  msPlayed: number | null;
  track: { id: number; title: string; artist: { name: string } } | null;
  artist: { id: number; name: string } | null;
}
interface HistoryPage {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  edges: { cursor: string; node: HistoryNode }[];
}

describe.each<Target>(["embedded", "postgres"])("listening history and top artists on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  let listener: number;
  /** The fixture's events, newest first (ties: the later-inserted first). */
  let expectedOrder: string[];
  useApiWorld(target, skip, (world) => (w = world));
  beforeAll(async () => {
    if (skip) return;
    listener = w.userIds[2];
    // Artist i % 4 owns track i. Streams: artist 1 seven times over two tracks, artist 2 three
    // times, artist 3 once; a skip and an artist visit are events but not plays.
    const t = (i: number) => w.trackIds[i];
    const plan: [string, EventRow["kind"], number | null, number | null][] = [
      ["s1", "STREAM", t(1), null],
      ["s2", "STREAM", t(1), null],
      ["s3", "STREAM", t(5), null],
      ["s4", "STREAM", t(2), null],
      ["s5", "STREAM", t(1), null],
      ["s6", "STREAM", t(2), null],
      ["s7", "STREAM", t(3), null],
      ["s8", "STREAM", t(5), null],
      ["s9", "STREAM", t(1), null],
      ["s10", "STREAM", t(2), null],
      ["s11", "STREAM", t(1), null],
      ["skip", "SKIP", t(7), null],
      ["visit", "ARTIST_VISIT", null, w.artistIds[0]],
    ];
    const base = Date.UTC(2026, 0, 5, 12);
    // "visit" shares its timestamp with "skip": the one inserted later is newer.
    const at = (i: number) => new Date(base + Math.min(i, 11) * 3600_000);
    const rows: EventRow[] = plan.map(([eventId, kind, trackId, artistId], i) => ({
      userId: listener,
      eventId,
      kind,
      trackId,
      artistId,
      occurredAt: at(i),
      msPlayed: kind === "STREAM" ? 60_000 + i : null,
    }));
    // Inserted out of time order, one by one, so the page order comes from the times, not the ids.
    for (const i of [3, 0, 12, 5, 1, 7, 2, 4, 6, 8, 9, 10, 11]) await insertEvents(w.t.db.query, [rows[i]]);
    const insertedAt = new Map([3, 0, 12, 5, 1, 7, 2, 4, 6, 8, 9, 10, 11].map((i, k) => [rows[i].eventId, k]));
    expectedOrder = [...rows]
      .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || insertedAt.get(b.eventId)! - insertedAt.get(a.eventId)!)
      .map((r) => r.eventId);
  });

  it.skipIf(skip)(`top artists are ranked by plays, with shares of all plays and the tracks streamed ${skip ? skipPostgres : ""}`, async () => {
    const r = await gql(w.api.url, TOP, { u: listener, f: 10 }, w.keys.curator);
    expect(codesOf(r)).toEqual([]);
    const top = r.body.data!.topArtists as {
      totalPlays: number;
      totalArtists: number;
      artists: { artist: { id: number }; plays: number; share: number; tracksPlayed: number; lastPlayedAt: string }[];
    };
    expect(top.totalPlays).toBe(11);
    expect(top.totalArtists).toBe(3); // the visited artist has no plays
    expect(top.artists.map((a) => [a.artist.id, a.plays, a.tracksPlayed])).toEqual([
      [w.artistIds[1], 7, 2],
      [w.artistIds[2], 3, 1],
      [w.artistIds[3], 1, 1],
    ]);
    expect(top.artists.map((a) => a.share)).toEqual([7 / 11, 3 / 11, 1 / 11].map((s) => expect.closeTo(s, 10)));
    // Artist 1's last stream is s11, the 11th event.
    expect(top.artists[0].lastPlayedAt).toBe(new Date(Date.UTC(2026, 0, 5, 12) + 10 * 3600_000).toISOString());
    const one = await gql(w.api.url, TOP, { u: listener, f: 1 }, w.keys.curator);
    expect(one.body.data!.topArtists).toMatchObject({ totalPlays: 11, totalArtists: 3, artists: [{ artist: { id: w.artistIds[1] } }] });
    const none = await gql(w.api.url, TOP, { u: w.userIds[3], f: 5 }, w.keys.curator);
    expect(none.body.data!.topArtists).toEqual({ totalPlays: 0, totalArtists: 0, artists: [] });
  });

  it.skipIf(skip)("the history is newest first, pages with cursors without repeats, and names each event's track and artist", async () => {
    const all = (await gql(w.api.url, HISTORY, { u: listener, f: 100 }, w.keys.curator)).body.data!.listeningHistory as HistoryPage;
    expect(all.totalCount).toBe(13);
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.edges.map((e) => e.node.eventId)).toEqual(expectedOrder);
    const visit = all.edges.find((e) => e.node.eventId === "visit")!.node;
    expect(visit).toMatchObject({ kind: "ARTIST_VISIT", track: null, artist: { id: w.artistIds[0], name: "Artist 0" }, msPlayed: null });
    const s3 = all.edges.find((e) => e.node.eventId === "s3")!.node;
    expect(s3).toMatchObject({
      kind: "STREAM",
      track: { id: w.trackIds[5], title: "Song 5", artist: { name: "Artist 1" } },
      artist: { id: w.artistIds[1] },
      msPlayed: 60_002,
    });

    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = (await gql(w.api.url, HISTORY, { u: listener, f: 4, a: after }, w.keys.curator)).body.data!.listeningHistory as HistoryPage;
      expect(r.totalCount).toBe(13);
      walked.push(...r.edges.map((e) => e.node.eventId));
      if (!r.pageInfo.hasNextPage) break;
      after = r.pageInfo.endCursor;
    }
    expect(walked).toEqual(expectedOrder);
  });

  it.skipIf(skip)("the page size is capped, a listener key reads only its own listener, and an unknown listener is NOT_FOUND", async () => {
    const big = await gql(w.api.url, HISTORY, { u: listener, f: 101 }, w.keys.curator);
    expect(big.body.errors![0]).toMatchObject({ message: "first: must be 1..100, got 101", extensions: { code: "BAD_USER_INPUT", field: "first" } });
    const zero = await gql(w.api.url, TOP, { u: listener, f: 0 }, w.keys.curator);
    expect(zero.body.errors![0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "first" } });
    const other = await gql(w.api.url, HISTORY, { u: listener, f: 5 }, w.keys.listener);
    expect(codesOf(other)).toEqual(["FORBIDDEN"]);
    expect(other.body.data).toBeNull();
    const own = await gql(w.api.url, HISTORY, { u: w.userIds[0], f: 5 }, w.keys.listener);
    expect(own.body.data!.listeningHistory).toMatchObject({ totalCount: 0, edges: [] });
    expect(codesOf(await gql(w.api.url, TOP, { u: 999_999 }, w.keys.curator))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await gql(w.api.url, HISTORY, { u: 999_999 }, w.keys.curator))).toEqual(["NOT_FOUND"]);
  });

  it.skipIf(skip)("pages of history and top artists cost the same number of queries whatever their size", async () => {
    const history = `query($u:Int!,$f:Int){ user(id:$u){ name } listeningHistory(userId:$u, first:$f){ totalCount edges{ node{ kind track{ title artist{ name } } artist{ name } } } } }`;
    const counted = async (query: string, variables: Record<string, unknown>) => {
      w.counter.reset();
      const r = await gql(w.api.url, query, variables, w.keys.curator);
      expect(codesOf(r)).toEqual([]);
      return w.counter.count();
    };
    // key lookup, the listener (shared by user() and the existence check), the events page, their count
    expect(await counted(history, { u: listener, f: 2 })).toBe(4);
    expect(await counted(history, { u: listener, f: 13 })).toBe(4);
    const deep = `query($u:Int!,$f:Int){ listeningHistory(userId:$u, first:$f){ edges{ node{ track{ audioFeatures{ tempo } topTerms{ term } } artist{ topTerms{ term } } } } } }`;
    expect(await counted(deep, { u: listener, f: 2 })).toBe(await counted(deep, { u: listener, f: 13 }));
    const top = `query($u:Int!,$f:Int){ topArtists(userId:$u, first:$f){ artists{ plays artist{ name topTerms{ term } } } } }`;
    // key lookup, the listener, the ranking, the artists' top terms
    expect(await counted(top, { u: listener, f: 1 })).toBe(4);
    expect(await counted(top, { u: listener, f: 3 })).toBe(4);
  });
});
