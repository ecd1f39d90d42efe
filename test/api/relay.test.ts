import { describe, expect, it } from "vitest";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();

/** A Relay global id as the API issues it: "<Type>:<database id>" in base64url. */
const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString("base64url");

interface Page {
  totalCount: number;
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  edges: { cursor: string; node: { databaseId: number } }[];
}
const PAGE = `totalCount pageInfo{ startCursor endCursor hasNextPage hasPreviousPage } edges{ cursor node{ databaseId } }`;

/** Walks a connection forward (first/after) and backward (last/before), returning the database ids in the list's order. */
async function walk(w: ApiWorld, key: string, field: string, args: string, size: number, backward: boolean): Promise<{ ids: number[]; pages: Page[] }> {
  const ids: number[] = [];
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const paging = backward ? `last:${size}, before:$c` : `first:${size}, after:$c`;
    const r = await gql(w.api.url, `query($c:String){ page: ${field}(${args}${args ? ", " : ""}${paging}){ ${PAGE} } }`, { c: cursor }, key);
    expect(r.body.errors).toBeUndefined();
    const page = r.body.data!.page as Page;
    pages.push(page);
    const pageIds = page.edges.map((e) => e.node.databaseId);
    if (backward) ids.unshift(...pageIds);
    else ids.push(...pageIds);
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) break;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  return { ids, pages };
}

function relaySuite(target: Target, skip: boolean) {
  describe(`Relay conventions and nullable lookups (${target})`, () => {
    let w!: ApiWorld;
    useApiWorld(target, skip, (world) => (w = world));

    it.skipIf(skip)("one failing lookup is null with its code, and the rest of the response stands", async () => {
      const r = await gql(
        w.api.url,
        `query($t:Int!,$other:Int!){ health{ ok } missing: track(id:999999){ title } found: track(id:$t){ title } artist(id:999998){ name } job(id:999997){ status } user(id:$other){ name } }`,
        { t: w.trackIds[0], other: w.userIds[1] },
        w.keys.curator,
      );
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual({ health: { ok: true }, missing: null, found: { title: "Song 0" }, artist: null, job: null, user: { name: "Listener 1" } });
      const byPath = Object.fromEntries((r.body.errors ?? []).map((e) => [e.path!.join("."), e.extensions?.code]));
      expect(byPath).toEqual({ missing: "NOT_FOUND", artist: "NOT_FOUND", job: "NOT_FOUND" });

      // A listener key asking for another listener: FORBIDDEN on that field only.
      const mine = await gql(
        w.api.url,
        `query($me:Int!,$other:Int!){ me{ role } own: user(id:$me){ name } other: user(id:$other){ name } }`,
        { me: w.userIds[0], other: w.userIds[1] },
        w.keys.listener,
      );
      expect(mine.body.data).toEqual({ me: { role: "LISTENER" }, own: { name: "Listener 0" }, other: null });
      expect(codesOf(mine)).toEqual(["FORBIDDEN"]);
    });

    it.skipIf(skip)("every object with an identity has an opaque global id that node(id:) and nodes(ids:) refetch", async () => {
      const r = await gql(w.api.url, `query($t:Int!){ track(id:$t){ id databaseId artist{ id databaseId } } }`, { t: w.trackIds[5] }, w.keys.curator);
      const track = r.body.data!.track as { id: string; databaseId: number; artist: { id: string; databaseId: number } };
      expect(track.id).toBe(globalId("Track", w.trackIds[5]));
      // Opaque, and distinct per type for the same database id.
      expect(/^[A-Za-z0-9_-]+$/.test(track.id) && track.id !== String(track.databaseId) && track.id !== globalId("Artist", track.databaseId)).toBe(true);
      const ids = [track.id, track.artist.id, globalId("User", w.userIds[2]), globalId("WeeklyPlaylist", w.playlistId), globalId("Track", 999999), "not-an-id"];
      const n = await gql(
        w.api.url,
        `query($ids:[ID!]!,$one:ID!){ node(id:$one){ __typename id ... on Track { title } } nodes(ids:$ids){ __typename id ... on Artist { name } ... on User { name } ... on WeeklyPlaylist { weekStart } } }`,
        { ids, one: track.id },
        w.keys.curator,
      );
      expect(n.body.data!.node).toEqual({ __typename: "Track", id: track.id, title: "Song 5" });
      const nodes = n.body.data!.nodes as ({ __typename: string; id: string } | null)[];
      expect(nodes.map((x) => x?.__typename ?? null)).toEqual(["Track", "Artist", "User", "WeeklyPlaylist", null, null]);
      expect(nodes.slice(0, 4).map((x) => x!.id)).toEqual(ids.slice(0, 4));
      const errors = Object.fromEntries((n.body.errors ?? []).map((e) => [e.path!.join("."), e.extensions?.code]));
      expect(errors).toEqual({ "nodes.4": "NOT_FOUND", "nodes.5": "BAD_USER_INPUT" });
    });

    it.skipIf(skip)("node(id:) keeps every role and listener-scope rule of the type's own lookup", async () => {
      const ask = (id: string, key: string) => gql(w.api.url, `query($id:ID!){ node(id:$id){ id } }`, { id }, key);
      // Own listener and own playlist: shown. Another listener, another listener's playlist, a track, a key: not.
      expect((await ask(globalId("User", w.userIds[0]), w.keys.listener)).body.data!.node).toEqual({ id: globalId("User", w.userIds[0]) });
      expect((await ask(globalId("WeeklyPlaylist", w.playlistId), w.keys.listener)).body.data!.node).toEqual({ id: globalId("WeeklyPlaylist", w.playlistId) });
      expect(codesOf(await ask(globalId("User", w.userIds[1]), w.keys.listener))).toEqual(["FORBIDDEN"]);
      const foreignPlaylist = await ask(globalId("WeeklyPlaylist", w.playlistId), w.keys.otherListener);
      expect([foreignPlaylist.body.data!.node, codesOf(foreignPlaylist)]).toEqual([null, ["NOT_FOUND"]]);
      expect(codesOf(await ask(globalId("Track", w.trackIds[0]), w.keys.listener))).toEqual(["FORBIDDEN"]);
      expect(codesOf(await ask(globalId("ApiKey", 1), w.keys.curator))).toEqual(["FORBIDDEN"]);
      expect(codesOf(await gql(w.api.url, `query($id:ID!){ node(id:$id){ id } }`, { id: globalId("User", w.userIds[0]) }))).toEqual(["UNAUTHENTICATED"]);
    });

    it.skipIf(skip)("connections page forward and backward over the same rows, with pageInfo both ways", async () => {
      const forward = await walk(w, w.keys.curator, "tracks", "", 50, false);
      const backward = await walk(w, w.keys.curator, "tracks", "", 50, true);
      expect(forward.ids).toEqual([...w.trackIds].sort((a, b) => a - b));
      expect(backward.ids).toEqual(forward.ids);
      expect(forward.pages.map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([
        [false, true],
        [true, true],
        [true, false],
      ]);
      expect(backward.pages.map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([
        [true, false],
        [true, true],
        [false, true],
      ]);
      // The last page backward is the 20 highest ids; a search pages backward too.
      expect(backward.pages[0].edges.length).toBe(50);
      const searched = await walk(w, w.keys.curator, "tracks", `search:"song 1"`, 7, true);
      const searchedForward = await walk(w, w.keys.curator, "tracks", `search:"song 1"`, 7, false);
      expect(searched.ids).toEqual(searchedForward.ids);
      expect(searched.ids.length).toBe(searched.pages[0].totalCount);
      // Newest-first lists: playlists and model versions, both ways.
      const playlistsForward = await walk(w, w.keys.listener, "weeklyPlaylists", `userId:${w.userIds[0]}`, 1, false);
      const playlistsBackward = await walk(w, w.keys.listener, "weeklyPlaylists", `userId:${w.userIds[0]}`, 1, true);
      expect(playlistsForward.ids).toEqual([w.playlistId, w.smallPlaylistId]);
      expect(playlistsBackward.ids).toEqual(playlistsForward.ids);
      const versionsForward = await walk(w, w.keys.curator, "modelVersions", "", 1, false);
      expect((await walk(w, w.keys.curator, "modelVersions", "", 1, true)).ids).toEqual(versionsForward.ids);
    });

    it.skipIf(skip)("backward paging keeps the listener scope and the cursor binding", async () => {
      const own = await walk(w, w.keys.listener, "users", "", 1, true);
      expect(own.ids).toEqual([w.userIds[0]]);
      const curatorPage = (await gql(w.api.url, `{ users(first:2){ ${PAGE} } }`, {}, w.keys.curator)).body.data!.users as Page;
      const replay = await gql(w.api.url, `query($c:String){ users(last:5, before:$c){ ${PAGE} } }`, { c: curatorPage.pageInfo.endCursor }, w.keys.listener);
      expect(codesOf(replay)).toEqual(["BAD_USER_INPUT"]);
      const mixed = await gql(w.api.url, `{ users(first:1, last:1){ totalCount } }`, {}, w.keys.curator);
      expect(mixed.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "last" } });
    });
  });
}

relaySuite("embedded", false);
relaySuite("postgres", skipPostgres !== null);
