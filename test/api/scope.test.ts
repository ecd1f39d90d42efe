import { describe, expect, it } from "vitest";
import { listUsers } from "@deepcuts/engine/catalogue.ts";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();

interface UserPage {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  edges: { cursor: string; node: { id: number; name: string } }[];
}
const USERS = `query($f:Int,$a:String,$s:String){ users(first:$f, after:$a, search:$s){ totalCount pageInfo{ endCursor hasNextPage } edges{ cursor node{ id: databaseId name } } } }`;

/** Walks `users` page by page with `key` from `after`, returning every listener id seen. */
async function walkUsers(w: ApiWorld, key: string, after: string | null, first = 1): Promise<{ ids: number[]; errors: string[] }> {
  const ids: number[] = [];
  for (let pages = 0; pages < 10; pages++) {
    const r = await gql(w.api.url, USERS, { f: first, a: after }, key);
    if (r.body.errors) return { ids, errors: codesOf(r) };
    const page = r.body.data!.users as UserPage;
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, errors: [] };
}

/** The id-only cursor format this API once issued: `id:N` in base64url. */
const readableCursor = (id: number) => Buffer.from(`id:${id}`).toString("base64url");

function scopeSuite(target: Target, skip: boolean) {
  describe(`listener scope in every page (${target})`, () => {
    let w!: ApiWorld;
    useApiWorld(target, skip, (world) => (w = world));

    it.skipIf(skip)("a listener key pages through users and sees only its own listener, whatever cursor it sends", async () => {
      const own = w.userIds[0];
      const first = await walkUsers(w, w.keys.listener, null);
      expect(first).toEqual({ ids: [own], errors: [] });

      // Cursors a curator received, cursors in the old readable format, and a cursor of the
      // listener's own first page with the id edited: none reaches another listener.
      const curatorPage = (await gql(w.api.url, USERS, { f: 1 }, w.keys.curator)).body.data!.users as UserPage;
      expect(curatorPage.totalCount).toBe(4);
      const ownPage = (await gql(w.api.url, USERS, { f: 1 }, w.keys.listener)).body.data!.users as UserPage;
      const [, mac] = ownPage.edges[0].cursor.split(".");
      const edited = `${Buffer.from(String(own - 1)).toString("base64url")}.${mac}`;
      for (const cursor of [curatorPage.pageInfo.endCursor!, readableCursor(0), readableCursor(own - 1), edited, "bm90LWEtY3Vyc29y"]) {
        const walked = await walkUsers(w, w.keys.listener, cursor);
        expect(walked.ids.filter((id) => id !== own)).toEqual([]);
        expect(walked.errors).toEqual(["BAD_USER_INPUT"]);
      }
    });

    it.skipIf(skip)("the listener scope is in the query's condition: a row id to continue from never widens it", async () => {
      const own = w.userIds[0];
      for (const afterId of [null, 0, own - 1, own, w.userIds[3]]) {
        const page = await listUsers(w.t.db, { first: 10, afterId, onlyId: own });
        expect(page.items.map((u) => u.id).filter((id) => id !== own)).toEqual([]);
        expect(page.totalCount).toBe(1);
      }
    });

    it.skipIf(skip)("a cursor works only for the query, filters and key that received it", async () => {
      const page = (await gql(w.api.url, USERS, { f: 1 }, w.keys.curator)).body.data!.users as UserPage;
      const cursor = page.pageInfo.endCursor!;
      // Same query, same key: the next page follows.
      const next = await gql(w.api.url, USERS, { f: 1, a: cursor }, w.keys.curator);
      expect((next.body.data!.users as UserPage).edges[0].node.id).toBeGreaterThan(page.edges[0].node.id);
      // Another query, other filters, another key: refused with the argument named.
      const refusals = [
        await gql(w.api.url, `query($a:String){ tracks(first:1, after:$a){ totalCount } }`, { a: cursor }, w.keys.curator),
        await gql(w.api.url, USERS, { f: 1, a: cursor, s: "Listener" }, w.keys.curator),
        await gql(w.api.url, USERS, { f: 1, a: cursor }, w.keys.admin),
        await gql(w.api.url, `query($u:Int!,$a:String){ weeklyPlaylists(userId:$u, after:$a){ totalCount } }`, { u: w.userIds[0], a: cursor }, w.keys.listener),
      ];
      for (const r of refusals) {
        expect(codesOf(r)).toEqual(["BAD_USER_INPUT"]);
        expect(r.body.errors![0].extensions!.field).toBe("after");
      }
    });

    it.skipIf(skip)("a listener's history and playlists continue only from that listener's own cursors", async () => {
      const HISTORY = `query($u:Int!,$a:String){ listeningHistory(userId:$u, first:1, after:$a){ pageInfo{ endCursor } } }`;
      const PLAYLISTS = `query($u:Int!,$a:String){ weeklyPlaylists(userId:$u, first:1, after:$a){ pageInfo{ endCursor } } }`;
      const otherHistory = (await gql(w.api.url, HISTORY, { u: w.userIds[0] }, w.keys.curator)).body.data!.listeningHistory as UserPage;
      const otherPlaylists = (await gql(w.api.url, PLAYLISTS, { u: w.userIds[0] }, w.keys.curator)).body.data!.weeklyPlaylists as UserPage;
      // The other listener (userIds[1]) asks for its own rows with cursors issued to someone else.
      for (const [query, cursor] of [
        [HISTORY, otherHistory.pageInfo.endCursor],
        [PLAYLISTS, otherPlaylists.pageInfo.endCursor],
      ] as const) {
        if (cursor === null) continue;
        const r = await gql(w.api.url, query, { u: w.userIds[1], a: cursor }, w.keys.otherListener);
        expect(codesOf(r)).toEqual(["BAD_USER_INPUT"]);
      }
    });
  });
}

scopeSuite("embedded", false);
scopeSuite("postgres", skipPostgres !== null);
