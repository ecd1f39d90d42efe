import { describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "@deepcuts/engine/keys.ts";
import { httpConfig } from "../../apps/api/src/config.ts";
import { forbidsStoring, wantsFreshAnswer } from "../../apps/api/src/graphql/response-cache.ts";
import { startApi } from "../../apps/api/src/server.ts";
import { useApiWorld, type ApiWorld } from "./support.ts";

// Issue 23: the API keeps the answers a client may keep (private, 30 s: a listener's playlists
// and profile) and serves them again to the same key without running the query.
const PLAYLIST = `query($u:Int!){ weeklyPlaylist(userId:$u){ weekStart items{ position reason track{ title } } } }`;

interface Answer {
  reasons: string[];
  codes: string[];
  /** Seconds since the answer was stored; null when the query ran for this request. */
  age: number | null;
  cacheControl: string | null;
}

async function ask(url: string, key: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as {
    data?: { weeklyPlaylist?: { items: { reason: string }[] } } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const age = res.headers.get("age");
  return {
    reasons: [...new Set(body.data?.weeklyPlaylist?.items.map((i) => i.reason) ?? [])],
    codes: (body.errors ?? []).map((e) => String(e.extensions?.code)),
    age: age === null ? null : Number(age),
    cacheControl: res.headers.get("cache-control"),
  };
}

describe("the API's response cache", () => {
  let w: ApiWorld;
  useApiWorld("embedded", false, (world) => (w = world));
  const setReason = (reason: string) => w.t.db.query(`UPDATE playlist_items SET reason = $1 WHERE playlist_id = $2`, [reason, w.playlistId]);

  it("answers a key's repeated query from the cache, until the key asks for a fresh answer", async () => {
    const u = w.userIds[0];
    await setReason("first");
    const miss = await ask(w.api.url, w.keys.curator, PLAYLIST, { u });
    expect(miss).toMatchObject({ reasons: ["first"], age: null, cacheControl: "max-age=30, private" });

    // Changed behind the API's back: the stored answer is served, without running the query
    // (the only database work is the key's lookup: the test API caches no keys).
    await setReason("second");
    w.counter.reset();
    const hit = await ask(w.api.url, w.keys.curator, PLAYLIST, { u });
    expect(hit.reasons).toEqual(["first"]);
    expect(hit.age).toBeGreaterThanOrEqual(0);
    expect(hit.cacheControl).toBe("max-age=30, private");
    expect(w.counter.count()).toBe(1);

    // Other variables are another answer.
    expect((await ask(w.api.url, w.keys.curator, PLAYLIST, { u: w.userIds[1] })).age).toBeNull();

    // Cache-Control: no-cache runs the query, and its answer replaces the stored one.
    const fresh = await ask(w.api.url, w.keys.curator, PLAYLIST, { u }, { "cache-control": "no-cache" });
    expect(fresh).toMatchObject({ reasons: ["second"], age: null });
    expect(await ask(w.api.url, w.keys.curator, PLAYLIST, { u })).toMatchObject({ reasons: ["second"], age: expect.any(Number) });

    // Cache-Control: no-store runs it and keeps nothing: a new key's next plain read runs too.
    const other = await createApiKey(w.t.db, { name: "no-store curator", role: "CURATOR" });
    expect((await ask(w.api.url, other.key, PLAYLIST, { u }, { "cache-control": "no-store" })).age).toBeNull();
    expect((await ask(w.api.url, other.key, PLAYLIST, { u })).age).toBeNull();
    expect((await ask(w.api.url, other.key, PLAYLIST, { u })).age).not.toBeNull();
  });

  it("never hands one key's answer to another, and checks every key before reading the cache", async () => {
    const u = w.userIds[0];
    await setReason("curator's");
    const curator = await createApiKey(w.t.db, { name: "cache curator", role: "CURATOR" });
    await ask(w.api.url, curator.key, PLAYLIST, { u });
    expect((await ask(w.api.url, curator.key, PLAYLIST, { u })).age).not.toBeNull();

    await setReason("listener's");
    // The listener's own key, same query and variables: its own answer, not the curator's.
    expect(await ask(w.api.url, w.keys.listener, PLAYLIST, { u })).toMatchObject({ reasons: ["listener's"], age: null });
    // Another listener's key may not read it, stored or not.
    expect((await ask(w.api.url, w.keys.otherListener, PLAYLIST, { u })).codes).toEqual(["FORBIDDEN"]);
    // A key revoked behind the API's back gets nothing, though its answer is stored.
    await revokeApiKey(w.t.db, curator.id);
    expect(await ask(w.api.url, curator.key, PLAYLIST, { u })).toMatchObject({ reasons: [], codes: ["UNAUTHENTICATED"], age: null });
  });

  it("keeps no public answer: the catalogue follows model activations", async () => {
    const query = `query($t:Int!){ track(id:$t){ title } }`;
    const first = await ask(w.api.url, w.keys.curator, query, { t: w.trackIds[0] });
    expect(first.cacheControl).toBe("max-age=60, public");
    expect((await ask(w.api.url, w.keys.curator, query, { t: w.trackIds[0] })).age).toBeNull();
  });

  it("a mutation empties the cache, except one that only adds listening history", async () => {
    const u = w.userIds[0];
    await setReason("before");
    await ask(w.api.url, w.keys.curator, PLAYLIST, { u }, { "cache-control": "no-cache" });
    const events = `mutation($u:Int!,$e:[EventInput!]!){ recordEvents(userId:$u, events:$e){ recorded } }`;
    const sent = await ask(w.api.url, w.keys.listener, events, {
      u,
      e: [{ eventId: "cache-1", kind: "STREAM", trackId: w.trackIds[0], msPlayed: 60_000, occurredAt: new Date().toISOString() }],
    });
    expect(sent.codes).toEqual([]);
    await setReason("after");
    expect(await ask(w.api.url, w.keys.curator, PLAYLIST, { u })).toMatchObject({ reasons: ["before"], age: expect.any(Number) });

    const made = await ask(w.api.url, w.keys.admin, `mutation{ createApiKey(name: "another", role: CURATOR){ role } }`, {});
    expect(made.codes).toEqual([]);
    expect(await ask(w.api.url, w.keys.curator, PLAYLIST, { u })).toMatchObject({ reasons: ["after"], age: null });
  });

  it("the dashboard's client asks for fresh answers: curators see what they just changed", async () => {
    const u = w.userIds[0];
    await setReason("kept");
    await ask(w.api.url, w.keys.curator, PLAYLIST, { u }, { "cache-control": "no-cache" });
    await setReason("current");
    expect((await ask(w.api.url, w.keys.curator, PLAYLIST, { u })).reasons).toEqual(["kept"]);
    process.env.DEEPCUTS_API_URL = w.api.url;
    const { gql } = await import("../../apps/dashboard/src/lib/graphql.ts");
    const seen = await gql<{ weeklyPlaylist: { items: { reason: string }[] } }>(PLAYLIST, { u }, w.keys.curator);
    expect([...new Set(seen.weeklyPlaylist.items.map((i) => i.reason))]).toEqual(["current"]);
  });

  it("is off with DEEPCUTS_RESPONSE_CACHE_MB=0", async () => {
    const off = await startApi(w.t.db, 0, { http: { keyCacheMs: 0, responseCacheMb: 0 } });
    try {
      await ask(off.url, w.keys.curator, PLAYLIST, { u: w.userIds[0] });
      expect((await ask(off.url, w.keys.curator, PLAYLIST, { u: w.userIds[0] })).age).toBeNull();
    } finally {
      await off.stop();
    }
  });
});

describe("response cache settings", () => {
  it("reads HTTP's ways of asking for a fresh answer, and of forbidding its storing", () => {
    for (const header of ["no-cache", "No-Store", "max-age=0", "max-age = 0", "private, no-cache"]) expect(wantsFreshAnswer(header)).toBe(true);
    for (const header of [null, "", "max-age=10", "private", "no-transform", "max-age=00x"]) expect(wantsFreshAnswer(header)).toBe(false);
    for (const header of ["no-store", "max-age=0, NO-STORE"]) expect(forbidsStoring(header)).toBe(true);
    for (const header of [null, "no-cache", "max-age=0", "no-storex"]) expect(forbidsStoring(header)).toBe(false);
  });

  it("takes its size from DEEPCUTS_RESPONSE_CACHE_MB, 64 MiB by default, and names the variable when it is wrong", () => {
    expect(httpConfig({}).responseCacheMb).toBe(64);
    expect(httpConfig({ DEEPCUTS_RESPONSE_CACHE_MB: "0" }).responseCacheMb).toBe(0);
    expect(() => httpConfig({ DEEPCUTS_RESPONSE_CACHE_MB: "-1" })).toThrow(/DEEPCUTS_RESPONSE_CACHE_MB/);
    expect(() => httpConfig({ DEEPCUTS_RESPONSE_CACHE_MB: "lots" })).toThrow(/DEEPCUTS_RESPONSE_CACHE_MB/);
  });
});
