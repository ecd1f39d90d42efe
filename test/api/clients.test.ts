import "reflect-metadata";
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { ApolloClient, HttpLink, InMemoryCache, gql as apolloGql } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { Client as UrqlClient, cacheExchange, fetchExchange, gql as urqlGql, subscriptionExchange } from "@urql/core";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import { openPostgres } from "@deepcuts/db";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { useApiWorld, type ApiWorld } from "./support.ts";

/**
 * The running API driven by the client libraries people use: Apollo Client (core, with
 * automatic persisted queries over GET), urql with its default settings (GET for queries) and
 * a graphql-ws client following real jobs. Also the HTTP caching and CSRF rules that make a
 * CDN-friendly GET path possible (docs/api.md, "Caching, persisted queries and GET").
 */
const skipPostgres = await postgresUnavailable();
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
type TrackPage = { tracks: { totalCount: number; edges: { node: { title: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
const TITLES = Array.from({ length: 120 }, (_, i) => `Song ${i}`).sort();
type WalkPage = {
  tracks: {
    edges: { cursor: string; node: { id: string; title: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
};
const WALK = `query Walk($first: Int, $after: String, $last: Int, $before: String) {
  tracks(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { id title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
}`;

/**
 * Walks the catalogue 50 tracks at a time with Apollo Client, its cache merging the pages with
 * relayStylePagination (as docs/api.md sets it up): `first`/`after` forwards or `last`/`before`
 * backwards. `visited`: the titles in the order the walk met them (backwards: last track first);
 * `list`: the list the cache assembled from the pages, in the connection's order.
 */
async function apolloWalk(url: string, key: string, direction: "forward" | "backward") {
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, headers: { authorization: `Bearer ${key}` } }),
    cache: new InMemoryCache({ typePolicies: { Query: { fields: { tracks: relayStylePagination(["search", "artistId"]) } } } }),
  });
  const visited: string[] = [];
  let list: string[] = [];
  let cursor: string | null = null;
  for (let pages = 1; ; pages++) {
    const variables: Record<string, unknown> = direction === "forward" ? { first: 50, after: cursor } : { last: 50, before: cursor };
    const { data }: { data?: WalkPage } = await client.query<WalkPage>({ query: apolloGql(WALK), variables, fetchPolicy: "network-only" });
    // The cache answers with every page so far: the new page is at the end (forwards) or the start (backwards).
    const merged = data!.tracks.edges.map((e) => e.node.title);
    const page = direction === "forward" ? merged.slice(list.length) : merged.slice(0, merged.length - list.length);
    expect(page.length).toBe(pages < 3 ? 50 : 20);
    visited.push(...(direction === "forward" ? page : page.reverse()));
    list = merged;
    const { hasNextPage, hasPreviousPage, startCursor, endCursor } = data!.tracks.pageInfo;
    if (direction === "forward" ? !hasNextPage : !hasPreviousPage) {
      client.stop();
      return { visited, list, pages };
    }
    cursor = direction === "forward" ? endCursor : startCursor;
  }
}

function wsClient(url: string, key?: string): WsClient {
  return createWsClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Every value a subscription sends until it completes (or errors), within `ms`. */
function collect<T>(client: WsClient, query: string, variables: Record<string, unknown> = {}, ms = 15_000): { values: T[]; done: Promise<T[]>; stop(): void } {
  const values: T[] = [];
  let stop = () => {};
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subscription did not complete in ${ms} ms; got ${JSON.stringify(values)}`)), ms);
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (r) => (r.errors ? reject(Object.assign(new Error(r.errors[0].message), { errors: r.errors })) : values.push(r.data as T)),
        // A refused connection ends in the socket's close event: keep its code (4403) and reason.
        // An operation refused before it runs ends in an array of errors.
        error: (e) => {
          clearTimeout(timer);
          if (Array.isArray(e)) reject(Object.assign(new Error(e[0]?.message), { errors: e }));
          else reject(e instanceof Error ? e : Object.assign(new Error(String((e as { reason?: string }).reason)), { code: (e as { code?: number }).code }));
        },
        complete: () => (clearTimeout(timer), resolve(values)),
      },
    );
  });
  return { values, done, stop: () => stop() };
}

describe.each<Target>(["embedded", "postgres"])("GraphQL clients against the running API on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));
  const why = skip ? ` (${skipPostgres})` : "";

  it.skipIf(skip)(`Apollo Client with persisted queries over GET walks the catalogue forwards and runs a mutation${why}`, async () => {
    const requests: { method: string; url: string }[] = [];
    const recording: typeof fetch = (input, init) => (
      requests.push({ method: init?.method ?? "GET", url: input instanceof Request ? input.url : input instanceof URL ? input.href : input }),
      fetch(input, init)
    );
    const client = new ApolloClient({
      link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
        new HttpLink({ uri: w.api.url, headers: { authorization: `Bearer ${w.keys.admin}` }, fetch: recording }),
      ),
      cache: new InMemoryCache(),
    });
    const PAGE = apolloGql`query Page($after: String) { tracks(first: 50, after: $after) { totalCount edges { node { title } } pageInfo { hasNextPage endCursor } } }`;
    const titles: string[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const { data }: { data?: TrackPage } = await client.query<TrackPage>({ query: PAGE, variables: { after }, fetchPolicy: "network-only" });
      expect(data!.tracks.totalCount).toBe(120);
      titles.push(...data!.tracks.edges.map((e) => e.node.title));
      if (!data!.tracks.pageInfo.hasNextPage) {
        expect(pages).toBe(3);
        break;
      }
      after = data!.tracks.pageInfo.endCursor;
    }
    expect(titles.sort()).toEqual(TITLES);
    // First page: the hash alone by GET (PERSISTED_QUERY_NOT_FOUND), then hash and query by POST
    // (registered); every later page: the hash alone by GET.
    const hashOnly = (r: { method: string; url: string }) => r.method === "GET" && !new URL(r.url).searchParams.has("query");
    expect(hashOnly(requests[0])).toBe(true);
    expect(requests[1].method).toBe("POST");
    expect(requests.slice(2).every(hashOnly)).toBe(true);

    const created = await client.mutate<{ createApiKey: { role: string; key: string; userId: number | null } }>({
      mutation: apolloGql`mutation Key($name: String!) { createApiKey(name: $name, role: CURATOR) { role key userId } }`,
      variables: { name: "made by Apollo Client" },
    });
    expect(created.data!.createApiKey).toMatchObject({ role: "CURATOR", userId: null });
    expect(requests.at(-1)!.method).toBe("POST");
    client.stop();
  });

  it.skipIf(skip)(
    `Apollo Client's relayStylePagination walks the catalogue forwards and backwards: the backward walk meets exactly the forward walk's tracks in reverse${why}`,
    async () => {
      const forward = await apolloWalk(w.api.url, w.keys.curator, "forward");
      const backward = await apolloWalk(w.api.url, w.keys.curator, "backward");
      expect([forward.pages, backward.pages]).toEqual([3, 3]);
      expect([...forward.visited].sort()).toEqual(TITLES);
      expect(backward.visited).toEqual([...forward.visited].reverse());
      // Both caches assembled the same list in the same order, with no page twice or missing.
      expect(backward.list).toEqual(forward.list);
      expect(forward.list).toEqual(forward.visited);
    },
  );

  it.skipIf(skip)(`urql with its default settings: queries by GET with a key, a walk forwards and backwards, a mutation by POST${why}`, async () => {
    const methods: string[] = [];
    const client = new UrqlClient({
      url: w.api.url,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { authorization: `Bearer ${w.keys.curator}` } },
      fetch: (input, init) => (methods.push(init?.method ?? "GET"), fetch(input, init)),
    });
    const PAGE = urqlGql`query Artists($after: String) { artists(first: 3, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const names: string[] = [];
    let after: string | null = null;
    do {
      const r = await client.query(PAGE, { after }, { requestPolicy: "network-only" }).toPromise();
      expect(r.error).toBeUndefined();
      names.push(...r.data.artists.edges.map((e: { node: { name: string } }) => e.node.name));
      after = r.data.artists.pageInfo.hasNextPage ? r.data.artists.pageInfo.endCursor : null;
    } while (after);
    expect([...names].sort()).toEqual(["Artist 0", "Artist 1", "Artist 2", "Artist 3"]);
    expect(methods).toEqual(["GET", "GET"]);
    // Backwards with last/before, one artist at a time: exactly the forward walk's artists, in reverse.
    const BACK = urqlGql`query ArtistsBack($before: String) { artists(last: 1, before: $before) { edges { node { name } } pageInfo { hasPreviousPage startCursor } } }`;
    const back: string[] = [];
    let before: string | null = null;
    do {
      const r = await client.query(BACK, { before }, { requestPolicy: "network-only" }).toPromise();
      expect(r.error).toBeUndefined();
      back.push(...r.data.artists.edges.map((e: { node: { name: string } }) => e.node.name).reverse());
      before = r.data.artists.pageInfo.hasPreviousPage ? r.data.artists.pageInfo.startCursor : null;
    } while (before);
    expect(back).toEqual([...names].reverse());
    expect(methods).toEqual(["GET", "GET", "GET", "GET", "GET", "GET"]);

    const listener = new UrqlClient({
      url: w.api.url,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { authorization: `Bearer ${w.keys.listener}` } },
    });
    const saved = await listener
      .mutation(urqlGql`mutation Save($u: Int!, $t: Int!) { saveTrack(userId: $u, trackId: $t) { recorded } }`, { u: w.userIds[0], t: w.trackIds[5] })
      .toPromise();
    expect(saved.error).toBeUndefined();
    expect(saved.data.saveTrack.recorded).toBe(1);
  });

  it.skipIf(skip)(
    `a graphql-ws client follows a real training job to its end; Apollo's and urql's subscription set-ups (docs/api.md) see it and the model activated${why}`,
    async () => {
      const admin = wsClient(w.api.url, w.keys.admin);
      // urql's subscriptionExchange and Apollo's GraphQLWsLink over graphql-ws, as docs/api.md sets them up.
      const urql = new UrqlClient({
        url: w.api.url,
        fetchOptions: { headers: { authorization: `Bearer ${w.keys.admin}` } },
        exchanges: [
          cacheExchange,
          fetchExchange,
          subscriptionExchange({
            forwardSubscription: (request) => ({ subscribe: (sink) => ({ unsubscribe: admin.subscribe({ ...request, query: request.query ?? "" }, sink) }) }),
          }),
        ],
      });
      const apolloWs = new ApolloClient({ link: new GraphQLWsLink(admin), cache: new InMemoryCache() });
      try {
        const activated = { values: [] as { modelActivated: { kind: string; versionId: number } }[] };
        const urqlSub = urql
          .subscription(urqlGql`subscription { modelActivated(kind: POPULARITY) { kind versionId previousVersionId } }`, {})
          .subscribe((r) => void (r.data && activated.values.push(r.data)));
        const updates = { values: [] as { jobUpdates: { id: number; status: string } }[] };
        const apolloSub = apolloWs
          .subscribe<{ jobUpdates: { id: number; status: string } }>({
            query: apolloGql`subscription { jobUpdates(kind: TRAIN) { id: databaseId status done total } }`,
          })
          .subscribe((r) => void (r.data && updates.values.push(r.data)));
        // graphql-ws does not acknowledge a subscription: give the server a moment to set both up.
        await new Promise((r) => setTimeout(r, 500));
        const apollo = new ApolloClient({
          link: new HttpLink({ uri: w.api.url, headers: { authorization: `Bearer ${w.keys.admin}` } }),
          cache: new InMemoryCache(),
        });
        const started = await apollo.mutate<{ startTraining: { id: number } }>({
          mutation: apolloGql`mutation { startTraining(models: [POPULARITY]) { id: databaseId } }`,
        });
        const id = started.data!.startTraining.id;
        const progress = await collect<{ jobProgress: { id: number; status: string; done: number; total: number; message: string } }>(
          admin,
          `subscription($id: Int!) { jobProgress(id: $id) { id: databaseId status done total message } }`,
          { id },
        ).done;
        const states = progress.map((p) => p.jobProgress);
        expect(states.length).toBeGreaterThan(0);
        expect(states.at(-1)).toMatchObject({ id, status: "SUCCEEDED" });
        expect(states.at(-1)!.done).toBe(states.at(-1)!.total);
        for (let i = 1; i < states.length; i++) expect(states[i].done).toBeGreaterThanOrEqual(states[i - 1].done);
        // jobUpdates saw the new job (at least its end); modelActivated the version it made.
        await expect.poll(() => updates.values.some((u) => u.jobUpdates.id === id && u.jobUpdates.status === "SUCCEEDED"), { timeout: 5000 }).toBe(true);
        await expect.poll(() => activated.values.length, { timeout: 5000 }).toBeGreaterThan(0);
        const [version] = await w.t.db.query<{ id: number }>(`SELECT id FROM model_versions WHERE kind = 'POPULARITY' AND is_active`);
        expect(activated.values.at(-1)!.modelActivated).toEqual({ kind: "POPULARITY", versionId: version.id, previousVersionId: null });
        urqlSub.unsubscribe();
        apolloSub.unsubscribe();
        apollo.stop();
        apolloWs.stop();
      } finally {
        await admin.dispose();
      }
    },
  );

  it.skipIf(skip)(`progress another process writes reaches subscribers; roles and keys hold over WebSocket${why}`, async () => {
    // Owned by a live process (this one) with a fresh heartbeat, as a worker's job is: the API's
    // job reconciler marks a RUNNING job without a live owner INTERRUPTED.
    const [{ id }] = await w.t.db.query<{ id: number }>(
      `INSERT INTO jobs (kind, status, params, total, started_at, owner, heartbeat_at) VALUES ('IMPORT', 'RUNNING', '{}', 10, now(), $1, now()) RETURNING id`,
      [`${hostname()}:${process.pid}`],
    );
    // On PostgreSQL a second pool stands for a worker process; the embedded database has one writer.
    const other = target === "postgres" ? await openPostgres(w.t.url!, "postgres", "test", 2) : null;
    const writer = other ?? w.t.db;
    const curator = wsClient(w.api.url, w.keys.curator);
    try {
      const followed = collect<{ jobProgress: { done: number; status: string } }>(curator, `subscription($id: Int!) { jobProgress(id: $id) { done status } }`, {
        id,
      });
      await expect.poll(() => followed.values.length).toBe(1);
      for (const done of [3, 7]) {
        await writer.query(`UPDATE jobs SET done = $2, message = 'step', heartbeat_at = now() WHERE id = $1`, [id, done]);
        await expect.poll(() => followed.values.at(-1)?.jobProgress.done, { timeout: 3000 }).toBe(done);
      }
      await writer.query(`UPDATE jobs SET done = 10, status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [id]);
      const all = await followed.done;
      expect(all.map((v) => v.jobProgress)).toEqual([
        { done: 0, status: "RUNNING" },
        { done: 3, status: "RUNNING" },
        { done: 7, status: "RUNNING" },
        { done: 10, status: "SUCCEEDED" },
      ]);
      // A client that read the job while it ran catches up on subscribing: its current state comes first.
      const caught = collect<{ jobUpdates: { id: number; status: string; done: number } }>(
        curator,
        `subscription($ids: [Int!]) { jobUpdates(catchUp: $ids) { id: databaseId status done } }`,
        { ids: [id] },
      );
      await expect.poll(() => caught.values.length).toBe(1);
      expect(caught.values[0].jobUpdates).toEqual({ id, status: "SUCCEEDED", done: 10 });
      caught.stop();
    } finally {
      await curator.dispose();
      await other?.close();
    }

    const unknown = wsClient(w.api.url, w.keys.curator);
    await expect(collect(unknown, `subscription { jobProgress(id: 987654) { status } }`).done).rejects.toMatchObject({
      errors: [{ message: "job 987654 not found", extensions: { code: "NOT_FOUND" } }],
    });
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1);
    await expect(collect(unknown, `subscription($ids: [Int!]) { jobUpdates(catchUp: $ids) { status } }`, { ids: tooMany }).done).rejects.toMatchObject({
      errors: [{ extensions: { code: "BAD_USER_INPUT", field: "catchUp" } }],
    });
    await unknown.dispose();
    const listener = wsClient(w.api.url, w.keys.listener);
    await expect(collect(listener, `subscription { jobUpdates { id: databaseId } }`).done).rejects.toMatchObject({
      errors: [{ extensions: { code: "FORBIDDEN" } }],
    });
    await expect(collect(listener, `query { health { ok } }`).done).rejects.toThrow(/subscriptions only/);
    await listener.dispose();
    const anonymous = wsClient(w.api.url);
    await expect(collect(anonymous, `subscription { jobUpdates { id: databaseId } }`).done).rejects.toMatchObject({
      errors: [{ extensions: { code: "UNAUTHENTICATED" } }],
    });
    await anonymous.dispose();
    const bad = wsClient(w.api.url, "dc_not_a_real_key");
    await expect(collect(bad, `subscription { jobUpdates { id: databaseId } }`).done).rejects.toMatchObject({ code: 4403 });
    await bad.dispose();
  });

  it.skipIf(skip)(`cache headers follow @cacheControl, and persisted queries travel by GET past the CSRF rule${why}`, async () => {
    const get = (params: Record<string, unknown>, headers: Record<string, string> = {}) =>
      fetch(`${w.api.url}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]))}`, { headers });
    const post = (body: unknown, key: string) =>
      fetch(w.api.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });

    const query = `{ artists(first: 2) { edges { node { name } } } }`;
    const hash = sha256(query);
    const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
    const unknown = await get({ extensions: ext }, auth(w.keys.curator));
    expect((await unknown.json()).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await post({ query, extensions: ext }, w.keys.curator)).status).toBe(200);
    const cached = await get({ extensions: ext }, auth(w.keys.curator));
    expect(cached.status).toBe(200);
    expect((await cached.json()).data.artists.edges).toHaveLength(2);
    expect(cached.headers.get("cache-control")).toBe("max-age=60, public");
    expect(cached.headers.get("vary")).toMatch(/Authorization, X-Api-Key/);

    // No key and no header that forces a preflight: refused as a possible CSRF, saying which header to send.
    const simple = await get({ query: "{ health { ok } }" });
    expect(simple.status).toBe(400);
    expect((await simple.json()).errors[0]).toMatchObject({
      extensions: { code: "BAD_REQUEST" },
      message: expect.stringContaining("apollo-require-preflight"),
    });
    const preflighted = await get({ query: "{ health { ok } }" }, { "apollo-require-preflight": "true" });
    expect(preflighted.status).toBe(200);
    expect(preflighted.headers.get("cache-control")).toBe("max-age=10, public");

    const me = await get({ query: "{ me { role } weeklyPlaylists(userId: " + w.userIds[0] + ", first: 1) { edges { node { id } } } }" }, auth(w.keys.listener));
    expect(me.status).toBe(200);
    expect(me.headers.get("cache-control")).toBe("max-age=30, private");
    const jobs = await get({ query: "{ jobs(first: 1) { edges { node { id: databaseId } } } }" }, auth(w.keys.curator));
    expect(jobs.headers.get("cache-control")).toBe("no-store");
    const mutation = await post({ query: `mutation { saveTrack(userId: ${w.userIds[0]}, trackId: ${w.trackIds[6]}) { recorded } }` }, w.keys.listener);
    expect((await mutation.json()).errors).toBeUndefined();
    expect(mutation.headers.get("cache-control")).toBe("no-store");
    // Mutations never go by GET.
    expect(
      (await get({ query: `mutation { saveTrack(userId: ${w.userIds[0]}, trackId: ${w.trackIds[7]}) { recorded } }` }, auth(w.keys.listener))).status,
    ).toBe(405);
  });
});
