import { describe, expect, it } from "vitest";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();

const PLAYLIST = `query($u:Int!, $week:String){ weeklyPlaylist(userId:$u, weekStart:$week){ id: databaseId totalDurationMs user{ name }
  items{ position reason durationMs scores{ popularity } track{ id: databaseId title durationMs audioFeatures{ tempo } topTerms{ term } artist{ name } } } } }`;

describe.each<Target>(["embedded", "postgres"])("N+1 and limits on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  it.skipIf(skip)(`a page of 100 playlist items costs the same number of queries as a page of 10 ${skip ? skipPostgres : ""}`, async () => {
    const lastWeek = new Date(Date.parse(`${w.weekStart}T00:00:00Z`) - 7 * 86400_000).toISOString().slice(0, 10);
    w.counter.reset();
    const big = await gql(w.api.url, PLAYLIST, { u: w.userIds[0], week: null }, w.keys.listener);
    const bigQueries = w.counter.count();
    w.counter.reset();
    const small = await gql(w.api.url, PLAYLIST, { u: w.userIds[0], week: lastWeek }, w.keys.listener);
    const smallQueries = w.counter.count();
    const bigItems = big.body.data!.weeklyPlaylist as { items: { track: { durationMs: number } }[]; totalDurationMs: number };
    expect(bigItems.items).toHaveLength(100);
    expect((small.body.data!.weeklyPlaylist as { items: unknown[] }).items).toHaveLength(10);
    expect(bigItems.totalDurationMs).toBe(bigItems.items.reduce((s, i) => s + i.track.durationMs, 0));
    // key lookup, the playlist with its items, tracks and artists (and, for this week, the time
    // zone: all one query), user, audio features, top terms
    expect(bigQueries).toBe(smallQueries);
    expect(bigQueries).toBe(5);
  });

  it.skipIf(skip)(`weeklyPlaylist answers what the playlists page answers, with a private 30 s cache hint ${skip ? skipPostgres : ""}`, async () => {
    const fields = `databaseId weekStart status totalDurationMs items{ position trackId durationMs score scores{ collaborative popularity } reason blendVersion rank explored propensity track{ databaseId title durationMs releaseDate genre artist{ databaseId name genre } } }`;
    const res = await fetch(w.api.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${w.keys.listener}` },
      body: JSON.stringify({ query: `query($u:Int!){ weeklyPlaylist(userId:$u){ ${fields} } }`, variables: { u: w.userIds[0] } }),
    });
    expect(res.headers.get("cache-control")).toBe("max-age=30, private");
    const one = ((await res.json()) as { data: { weeklyPlaylist: { weekStart: string; items: unknown[] } } }).data.weeklyPlaylist;
    expect(one.weekStart).toBe(w.weekStart);
    expect(one.items).toHaveLength(100);
    const page = await gql(
      w.api.url,
      `query($u:Int!){ weeklyPlaylists(userId:$u, first:1){ edges{ node{ ${fields} } } } }`,
      { u: w.userIds[0] },
      w.keys.listener,
    );
    expect((page.body.data!.weeklyPlaylists as { edges: { node: unknown }[] }).edges[0].node).toEqual(one);
  });

  it.skipIf(skip)("a listener's past playlists page keeps the query count constant too", async () => {
    const q = `query($u:Int!,$f:Int){ weeklyPlaylists(userId:$u, first:$f){ totalCount edges{ node{ weekStart items{ track{ artist{ name } } } } } } }`;
    w.counter.reset();
    const one = await gql(w.api.url, q, { u: w.userIds[0], f: 1 }, w.keys.listener);
    const oneQueries = w.counter.count();
    w.counter.reset();
    const two = await gql(w.api.url, q, { u: w.userIds[0], f: 2 }, w.keys.listener);
    expect(w.counter.count()).toBe(oneQueries);
    expect((one.body.data!.weeklyPlaylists as { edges: unknown[] }).edges).toHaveLength(1);
    expect(two.body.data!.weeklyPlaylists as { totalCount: number; edges: { node: { weekStart: string } }[] }).toMatchObject({ totalCount: 2 });
    const weeks = (two.body.data!.weeklyPlaylists as { edges: { node: { weekStart: string } }[] }).edges.map((e) => e.node.weekStart);
    expect(weeks[0] > weeks[1]).toBe(true);
  });

  it.skipIf(skip)("cursor pagination walks the catalogue once with no repeats, and the page size is capped", async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const r = await gql(
        w.api.url,
        `query($a:String){ tracks(first:50, after:$a){ totalCount pageInfo{ endCursor hasNextPage } edges{ node{ id: databaseId } } } }`,
        { a: after },
        w.keys.curator,
      );
      const conn = r.body.data!.tracks as { totalCount: number; pageInfo: { endCursor: string; hasNextPage: boolean }; edges: { node: { id: number } }[] };
      seen.push(...conn.edges.map((e) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const tooMany = await gql(w.api.url, `{ tracks(first:101){ totalCount } }`, {}, w.keys.curator);
    expect(tooMany.body.errors![0]).toMatchObject({ message: "first: must be 1..100, got 101", extensions: { code: "BAD_USER_INPUT", field: "first" } });
  });

  it.skipIf(skip)("the complexity limit refuses an expensive query before any resolver runs; a deep but cheap one passes", async () => {
    const cheap = `fragment T on Track { artist { topTerms { term } } }
      fragment I on PlaylistItem { track { ...T } }
      query { weeklyPlaylists(userId:${w.userIds[0]}, first:2){ edges{ node{ items { ...I } user { name } } } } }`;
    expect(codesOf(await gql(w.api.url, cheap, {}, w.keys.curator))).toEqual([]);
    w.counter.reset();
    const over = `{ weeklyPlaylists(userId:${w.userIds[0]}, first:100){ edges{ node{ items{ track{ vectors{ values } artist{ vectors{ values } } } } } } } }`;
    const r = await gql(w.api.url, over, {}, w.keys.curator);
    expect(codesOf(r)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(r.body.errors![0].message).toMatch(/^query complexity \d+ exceeds the limit of 5000$/);
    expect(w.counter.count()).toBe(1); // only the key lookup: no resolver touched the database
    // The same document is judged again with each request's variables.
    const byVariable = `query($f:Int){ weeklyPlaylists(userId:${w.userIds[0]}, first:$f){ edges{ node{ items{ track{ vectors{ values } } } } } } }`;
    expect(codesOf(await gql(w.api.url, byVariable, { f: 1 }, w.keys.curator))).toEqual([]);
    expect(codesOf(await gql(w.api.url, byVariable, { f: 100 }, w.keys.curator))).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(codesOf(await gql(w.api.url, byVariable, { f: 1 }, w.keys.curator))).toEqual([]);
  });
});
