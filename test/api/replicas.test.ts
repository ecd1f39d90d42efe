import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { upsertArtists, upsertTracks } from "@deepcuts/engine/ingest.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";
import { cliBin } from "../support/workers.ts";
import { freePort } from "../support/ports.ts";
import { gql, insertVersion } from "./support.ts";

// Issue 13: stateless API replicas. Two `deepcuts serve --no-worker` processes over one
// PostgreSQL database; a model version activated through one is what the other serves within
// 5 s (each replica keys its in-memory neighbour index by the active version it reads).
const skip = await postgresUnavailable();

async function startReplica(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cliBin, "serve", "--no-worker", "--no-dashboard"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DEEPCUTS_API_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const m = /GraphQL API: (\S+)/.exec(log);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`replica exited with ${code}:\n${log}`)));
  });
  return { url, child };
}

describe.skipIf(skip !== null)(`API replicas ${skip ?? ""}`, () => {
  let t: TestDatabase;
  const replicas: { url: string; child: ChildProcess }[] = [];
  let trackIds: number[] = [];
  let first = 0;
  let second = 0;
  let adminKey = "";
  let curatorKey = "";

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    const artists = await upsertArtists(
      t.db.query,
      [0, 1, 2, 3].map((i) => ({ externalKey: `a${i}`, name: `Artist ${i}`, genre: "pop" })),
    );
    const tracks = await upsertTracks(
      t.db.query,
      Array.from({ length: 40 }, (_, i) => ({
        externalKey: `t${i}`,
        title: `Song ${i}`,
        artistId: artists.get(`a${i % 4}`)!,
        durationMs: 200_000,
        genre: "pop",
      })),
    );
    trackIds = Array.from({ length: 40 }, (_, i) => tracks.get(`t${i}`)!);
    // Version 1 clusters track i by i % 4, version 2 by i % 2: under version 2 track 0's neighbours include tracks 2, 6, 10, ...
    const vector = (cluster: number, jitter: number) => {
      const v = new Float32Array(8);
      v[cluster] = 1;
      v[4 + (jitter % 4)] = 0.01 * (1 + (jitter % 7));
      return v;
    };
    first = await insertVersion(
      t.db,
      "ALS",
      trackIds.map((id, i) => ({ kind: "TRACK", id, v: vector(i % 4, i) })),
      true,
    );
    second = await insertVersion(
      t.db,
      "ALS",
      trackIds.map((id, i) => ({ kind: "TRACK", id, v: vector(i % 2, i) })),
      false,
    );
    adminKey = (await createApiKey(t.db, { name: "admin", role: "ADMIN" })).key;
    curatorKey = (await createApiKey(t.db, { name: "curator", role: "CURATOR" })).key;
    replicas.push(...(await Promise.all([startReplica(t.url!), startReplica(t.url!)])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      replicas.map(
        (r) => new Promise<void>((resolve) => (r.child.exitCode !== null ? resolve() : (r.child.once("exit", () => resolve()), r.child.kill("SIGTERM")))),
      ),
    );
    await t?.drop();
  });

  const neighbours = async (url: string) => {
    const r = await gql(
      url,
      `query($t:Int!){ similarTracks(trackId:$t, model:COLLABORATIVE, first:5){ track{ id: databaseId } } }`,
      { t: trackIds[0] },
      curatorKey,
    );
    expect(r.body.errors).toBeUndefined();
    // Asked after the search, so it shows the index that answered it.
    const s = await gql(url, `{ neighbourIndexes{ model entity versionId } }`, {}, curatorKey);
    const d = { ...r.body.data, ...s.body.data } as {
      similarTracks: { track: { id: number } }[];
      neighbourIndexes: { model: string; entity: string; versionId: number }[];
    };
    return {
      ids: d.similarTracks.map((x) => trackIds.indexOf(x.track.id)),
      version: d.neighbourIndexes.find((i) => i.model === "COLLABORATIVE" && i.entity === "TRACK")?.versionId,
    };
  };

  it("a version activated through one replica is what the other serves within 5 s", async () => {
    const [a, b] = replicas;
    const before = await neighbours(b.url);
    expect(before.version).toBe(first);
    expect(before.ids.every((i) => i % 4 === 0)).toBe(true);
    const activated = await gql(a.url, `mutation($id:Int!){ activateModelVersion(id:$id){ id: databaseId isActive } }`, { id: second }, adminKey);
    expect(activated.body.data!.activateModelVersion).toEqual({ id: second, isActive: true });
    const at = Date.now();
    let after = await neighbours(b.url);
    while (after.version !== second && Date.now() - at < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      after = await neighbours(b.url);
    }
    expect(after.version).toBe(second);
    expect(Date.now() - at).toBeLessThan(5000);
    expect(after.ids.some((i) => i % 4 === 2)).toBe(true);
  }, 60_000);
});
