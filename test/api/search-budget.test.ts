import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, startEmbeddedServer, type Database, type EmbeddedServer } from "@deepcuts/db";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { startApi, type RunningApi } from "../../apps/api/src/server.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

/**
 * One hostile client keeps the longest searches the API accepts in flight while another client
 * asks simple questions: the simple ones must keep answering within their own budget, and the
 * searches must end with an answer or a coded budget error. On the embedded target the database
 * runs as `deepcuts serve` runs it, behind its socket in a child process (one session for all).
 */
const skipPostgres = await postgresUnavailable();

/** A simple client's patience: an answer later than this counts as the database being held. */
const SIMPLE_BUDGET_MS = 3000;
const HOSTILE_MS = 4000;
const TRACKS = 40_000;
const WORDS = ["song", "love", "night", "blue", "dance", "heart", "road", "fire"];
const titleOf = (i: number) => `${WORDS[i % 8]} ${WORDS[(i >> 3) % 8]} song ${WORDS[(i >> 6) % 8]} ${i}`;
const ARTISTS = 500;
const artistNameOf = (i: number) => `The ${WORDS[i % 8]} ${WORDS[(i >> 3) % 8]} band ${i}`;
/** What a search must find: tracks whose title or artist's name holds `text`, ignoring case. */
const tracksMatching = (text: string) =>
  Array.from({ length: TRACKS }, (_, i) => i).filter(
    (i) =>
      titleOf(i).includes(text) ||
      artistNameOf(i % ARTISTS)
        .toLowerCase()
        .includes(text),
  ).length;

/** The longest searches accepted (200 characters): common trigrams, wildcards taken literally, noise. */
const MAXIMAL_SEARCHES = [
  "song ".repeat(40),
  "%_\\".repeat(66) + "so",
  Array.from({ length: 200 }, (_, i) => String.fromCharCode(0x61 + ((i * 7) % 26))).join(""),
  "lo",
];

interface World {
  db: Database;
  api: RunningApi;
  curator: string;
  listener: string;
  listenerId: number;
  stop(): Promise<void>;
}

async function seed(db: Database): Promise<{ curator: string; listener: string; listenerId: number }> {
  const users = await upsertUsers(
    db.query,
    Array.from({ length: 2000 }, (_, i) => ({ externalKey: `song-listener-${i}`, name: `Song Lover ${i}`, timeZone: "UTC" })),
  );
  const artists = await upsertArtists(
    db.query,
    Array.from({ length: ARTISTS }, (_, i) => ({ externalKey: `a${i}`, name: artistNameOf(i) })),
  );
  await upsertTracks(
    db.query,
    Array.from({ length: TRACKS }, (_, i) => ({
      externalKey: `t${i}`,
      title: titleOf(i),
      artistId: artists.get(`a${i % ARTISTS}`)!,
      durationMs: 200_000,
    })),
  );
  const listenerId = users.get("song-listener-0")!;
  return {
    curator: (await createApiKey(db, { name: "budget curator", role: "CURATOR" })).key,
    listener: (await createApiKey(db, { name: "budget listener", role: "LISTENER", userId: listenerId })).key,
    listenerId,
  };
}

async function startWorld(target: Target, statementTimeoutMs: number): Promise<World> {
  const t: TestDatabase = await createTestDatabase(target);
  const keys = await seed(t.db);
  let db = t.db;
  let server: EmbeddedServer | null = null;
  if (target === "embedded") {
    await t.db.close();
    server = await startEmbeddedServer(t.home!);
    db = await openPostgres(server.url, "embedded-server", t.home!, 4);
  }
  const api = await startApi(db, 0, { http: { statementTimeoutMs, readyTimeoutMs: SIMPLE_BUDGET_MS } });
  return {
    db,
    api,
    ...keys,
    async stop() {
      await api.stop();
      if (server) {
        await db.close();
        await server.stop();
        rmSync(t.home!, { recursive: true, force: true });
      } else {
        await t.drop();
      }
    },
  };
}

async function post(url: string, query: string, variables: Record<string, unknown>, key: string, timeoutMs?: number) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
    ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] } };
}

const SEARCH = `query($s:String){ tracks(first:100, search:$s){ totalCount edges{ node{ id: databaseId title } } } artists(first:100, search:$s){ totalCount } users(first:100, search:$s){ totalCount } }`;
const SIMPLE = `query($u:Int!){ me{ role } user(id:$u){ name } }`;

describe.each<Target>(["embedded", "postgres"])("a maximal search against %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: World;
  beforeAll(async () => {
    if (!skip) w = await startWorld(target, 2000);
  }, 300_000);
  afterAll(async () => w?.stop());

  it.skipIf(skip)(`leaves another client's simple queries answering within ${SIMPLE_BUDGET_MS} ms ${skip ? skipPostgres : ""}`, async () => {
    const until = Date.now() + HOSTILE_MS;
    const searchCodes: string[] = [];
    let searches = 0;
    // One hostile connection sending the next maximal search as soon as one is answered.
    const hostile = Array.from({ length: 1 }, async (_, lane) => {
      for (let i = lane; Date.now() < until; i++) {
        const r = await post(w.api.url, SEARCH, { s: MAXIMAL_SEARCHES[i % MAXIMAL_SEARCHES.length] }, w.curator);
        searches++;
        searchCodes.push(...(r.body.errors ?? []).map((e) => String(e.extensions?.code)));
      }
    });
    const simpleLatencies: number[] = [];
    const simpleFailures: string[] = [];
    const simple = (async () => {
      await new Promise((r) => setTimeout(r, 200)); // the searches are in flight first
      while (Date.now() < until) {
        const started = performance.now();
        try {
          const r = await post(w.api.url, SIMPLE, { u: w.listenerId }, w.listener, SIMPLE_BUDGET_MS);
          if (r.body.errors) simpleFailures.push(JSON.stringify(r.body.errors));
          else expect(r.body.data).toEqual({ me: { role: "LISTENER" }, user: { name: "Song Lover 0" } });
        } catch (error) {
          simpleFailures.push(`no answer within ${SIMPLE_BUDGET_MS} ms (${(error as Error).name})`);
        }
        simpleLatencies.push(performance.now() - started);
        const ready = await fetch(`${w.api.url}ready`, { signal: AbortSignal.timeout(SIMPLE_BUDGET_MS) }).catch((e: Error) => ({ status: e.name }));
        if (ready.status !== 200) simpleFailures.push(`GET /ready answered ${ready.status}`);
      }
    })();
    await Promise.all([...hostile, simple]);
    simpleLatencies.sort((a, b) => a - b);
    console.log(
      `${target}: ${searches} maximal searches in ${HOSTILE_MS} ms; simple queries: ${simpleLatencies.length}, median ${simpleLatencies[simpleLatencies.length >> 1]?.toFixed(0)} ms, max ${simpleLatencies.at(-1)?.toFixed(0)} ms; search errors ${JSON.stringify(searchCodes)}`,
    );
    expect(simpleFailures).toEqual([]);
    expect(simpleLatencies.length).toBeGreaterThan(3);
    expect(searches).toBeGreaterThan(0);
    // A search that runs over the statement budget is cut off with its own code, never an internal error.
    expect(searchCodes.filter((c) => c !== "DATABASE_TIMEOUT")).toEqual([]);
  });

  it.skipIf(skip || target !== "embedded")(
    "GET /ready says not ready while one statement holds the embedded session, and `health` (liveness) still answers",
    async () => {
      // An API whose readiness budget is 300 ms, beside the world's.
      const strict = await startApi(w.db, 0, { http: { readyTimeoutMs: 300 } });
      // PGlite runs one statement at a time for every connection: this one holds it for seconds.
      const holder = w.db.query("SELECT count(*) FROM generate_series(1, 6000000)");
      await new Promise((r) => setTimeout(r, 100));
      const held = await fetch(`${strict.url}ready`);
      expect(held.status).toBe(503);
      expect(await held.json()).toMatchObject({ ready: false, database: "embedded-server", error: { code: "DATABASE_TIMEOUT" } });
      const health = await fetch(strict.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ health { ok } }" }),
      });
      expect(await health.json()).toEqual({ data: { health: { ok: true } } });
      await holder;
      const free = await fetch(`${strict.url}ready`);
      expect(free.status).toBe(200);
      expect(await free.json()).toMatchObject({ ready: true, database: "embedded-server" });
      await strict.stop();
    },
  );

  it.skipIf(skip)("finds what it should: a substring anywhere, one or two characters at a word's start, wildcards as plain characters", async () => {
    const ask = async (s: string) =>
      (await post(w.api.url, SEARCH, { s }, w.curator)).body.data as {
        tracks: { totalCount: number };
        artists: { totalCount: number };
        users: { totalCount: number };
      };
    // "e song nig" is in titles ("blue song night ...") and in artists' names ("The song night band").
    expect((await ask("E SONG NIG")).tracks.totalCount).toBe(tracksMatching("e song nig"));
    expect((await ask("ht song fire 4")).tracks.totalCount).toBe(tracksMatching("ht song fire 4"));
    expect((await ask("band 499")).artists.totalCount).toBe(1);
    expect((await ask("lover 199")).users.totalCount).toBe(11); // 199, 1990..1999
    // Two characters match a word's start only: "ov" starts no word; "lo" starts "love" and "lover".
    expect((await ask("ov")).tracks.totalCount).toBe(0);
    expect((await ask("lo")).users.totalCount).toBe(2000);
    expect((await ask("%")).tracks.totalCount).toBe(0);
    expect((await ask("_")).artists.totalCount).toBe(0);
  });
});

describe("the statement budget on PostgreSQL", () => {
  const skip = skipPostgres !== null;
  let w: World;
  beforeAll(async () => {
    // A budget of 300 ms: the search below waits on a lock for longer.
    if (!skip) w = await startWorld("postgres", 300);
  }, 300_000);
  afterAll(async () => w?.stop());

  it.skipIf(skip)(`cancels a statement over the budget, and the API says so with DATABASE_TIMEOUT ${skip ? skipPostgres : ""}`, async () => {
    const budgeted = await w.db.withStatementTimeout(300);
    expect(budgeted.statementTimeoutMs).toBe(300);
    await expect(budgeted.query("SELECT pg_sleep(5)")).rejects.toMatchObject({ code: "57014" });
    // The unbudgeted database (migrations, imports, jobs) keeps no such limit.
    expect(w.db.statementTimeoutMs).toBeNull();
    // Another session holds the tracks table, so the API's search waits past its budget however
    // fast the machine is (statement_timeout counts time spent waiting for a lock).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = w.db.transaction(async (query) => {
      await query(`LOCK TABLE tracks IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    });
    await isLocked;
    const r = await post(w.api.url, `query($s:String){ tracks(search:$s){ totalCount } }`, { s: "song ".repeat(40) }, w.curator).finally(release);
    await holder;
    expect(JSON.stringify(r.body)).not.toMatch(/canceling|postgres|pg_sleep|lock|at \//i);
    expect(r.body.errors?.map((e) => e.extensions?.code)).toContain("DATABASE_TIMEOUT");
  });
});
