import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { upsertUsers } from "@deepcuts/engine/ingest.ts";
import { startApi, type RunningApi } from "../../apps/api/src/server.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";
import { codesOf, countingDatabase, gql } from "./support.ts";

const skipPostgres = await postgresUnavailable();
const ME = `{ me { role } }`;

// The API keeps a found key for DEEPCUTS_KEY_CACHE_MS: revocations and listener deletions made
// through this process end it at once, ones made behind its back (another process) within the TTL.
describe.each<Target>(["embedded", "postgres"])("API key cache on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  const why = skip ? ` (${skipPostgres})` : "";
  let t: TestDatabase;
  let counter: ReturnType<typeof countingDatabase>;
  let api: RunningApi;
  let shortApi: RunningApi;
  const SHORT_TTL_MS = 300;

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    counter = countingDatabase(t.db);
    api = await startApi(counter.db, 0, { http: { keyCacheMs: 60_000 } });
    shortApi = await startApi(t.db, 0, { http: { keyCacheMs: SHORT_TTL_MS } });
  });
  afterAll(async () => {
    await api?.stop();
    await shortApi?.stop();
    await t?.drop();
  });

  const key = async (role: "ADMIN" | "CURATOR" | "LISTENER", userId?: number) => createApiKey(t.db, { name: `cache ${role}`, role, userId });

  it.skipIf(skip)(`looks a key up once, then answers from the cache${why}`, async () => {
    const curator = await key("CURATOR");
    counter.reset();
    expect((await gql(api.url, ME, {}, curator.key)).body.data).toEqual({ me: { role: "CURATOR" } });
    expect(counter.count()).toBe(1);
    counter.reset();
    expect((await gql(api.url, ME, {}, curator.key)).body.data).toEqual({ me: { role: "CURATOR" } });
    expect(counter.count()).toBe(0);
    // A wrong key is never cached: each try costs a lookup and is refused.
    for (let i = 0; i < 2; i++) {
      counter.reset();
      expect(codesOf(await gql(api.url, ME, {}, "dc_curator_not-a-key"))).toEqual(["UNAUTHENTICATED"]);
      expect(counter.count()).toBe(1);
    }
  });

  it.skipIf(skip)(`a key revoked through the API is refused at its next request, whatever the TTL${why}`, async () => {
    const admin = await key("ADMIN");
    const curator = await key("CURATOR");
    expect(codesOf(await gql(api.url, ME, {}, curator.key))).toEqual([]);
    const revoked = await gql(api.url, `mutation($id:Int!){ revokeApiKey(id:$id) }`, { id: curator.id }, admin.key);
    expect(revoked.body).toEqual({ data: { revokeApiKey: true } });
    expect(codesOf(await gql(api.url, ME, {}, curator.key))).toEqual(["UNAUTHENTICATED"]);
    expect(codesOf(await gql(shortApi.url, ME, {}, curator.key))).toEqual(["UNAUTHENTICATED"]);
  });

  it.skipIf(skip)(`a deleted listener's key is refused at its next request${why}`, async () => {
    const users = await upsertUsers(t.db.query, [{ externalKey: `cache-listener-${target}`, name: "Cached", timeZone: "UTC" }]);
    const userId = users.get(`cache-listener-${target}`)!;
    const listener = await key("LISTENER", userId);
    expect((await gql(api.url, ME, {}, listener.key)).body.data).toEqual({ me: { role: "LISTENER" } });
    const deleted = await gql(api.url, `mutation($u:Int!){ deleteListener(userId:$u){ userId } }`, { u: userId }, listener.key);
    expect(deleted.body).toEqual({ data: { deleteListener: { userId } } });
    expect(codesOf(await gql(api.url, ME, {}, listener.key))).toEqual(["UNAUTHENTICATED"]);
  });

  it.skipIf(skip)(`a key revoked behind the process's back is kept until the TTL runs out, then refused${why}`, async () => {
    const longLived = await key("CURATOR");
    const shortLived = await key("CURATOR");
    expect(codesOf(await gql(api.url, ME, {}, longLived.key))).toEqual([]);
    expect(codesOf(await gql(shortApi.url, ME, {}, shortLived.key))).toEqual([]);
    // Another process (the CLI's `keys revoke`, another replica) writes the revocation.
    await t.db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = ANY($1::int[])`, [[longLived.id, shortLived.id]]);
    expect(codesOf(await gql(api.url, ME, {}, longLived.key))).toEqual([]); // within its 60 s
    await new Promise((resolve) => setTimeout(resolve, SHORT_TTL_MS + 100));
    expect(codesOf(await gql(shortApi.url, ME, {}, shortLived.key))).toEqual(["UNAUTHENTICATED"]);
  });
});
