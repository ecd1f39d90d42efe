import { afterAll, beforeAll } from "vitest";
import type { Database } from "@deepcuts/db";
import { float32ToBytes } from "@deepcuts/db";
import { startApi, type RunningApi } from "../../apps/api/src/server.ts";
import { tmpdir } from "node:os";
import { settleJobs } from "@deepcuts/engine/curation/jobs.ts";
import { startWorker } from "@deepcuts/engine/jobs/worker.ts";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { weekStartFor } from "@deepcuts/engine/weekly/week.ts";
import { createTestDatabase, type Target, type TestDatabase } from "../support/databases.ts";

/** A Database whose every raw SQL call and Prisma operation is counted (for N+1 checks). */
export function countingDatabase(db: Database): { db: Database; count(): number; reset(): void } {
  let n = 0;
  // The API runs its requests on db.withStatementTimeout(...): count those queries too.
  const counting = (inner: Database): Database => ({
    ...countedOnce(inner, () => n++),
    withStatementTimeout: async (ms) => counting(await inner.withStatementTimeout(ms)),
  });
  return { db: counting(db), count: () => n, reset: () => (n = 0) };
}

function countedOnce(db: Database, tick: () => void): Database {
  const prisma = db.prisma.$extends({
    query: {
      $allOperations({ args, query }) {
        tick();
        return query(args);
      },
    },
  }) as unknown as Database["prisma"];
  return {
    ...db,
    prisma,
    query: (sql, params) => {
      tick();
      return db.query(sql, params);
    },
  };
}

export interface GqlResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };
}

/** POSTs one operation as a client would, with the key (if any) as a Bearer token. */
export async function gql(url: string, query: string, variables: Record<string, unknown> = {}, key?: string): Promise<GqlResponse> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse["body"] };
}

export const codesOf = (r: GqlResponse) => (r.body.errors ?? []).map((e) => String(e.extensions?.code));

export interface ApiWorld {
  t: TestDatabase;
  api: RunningApi;
  counter: ReturnType<typeof countingDatabase>;
  keys: { admin: string; curator: string; listener: string; otherListener: string };
  userIds: number[];
  artistIds: number[];
  /** 120 tracks: artist i % 4 owns track i. */
  trackIds: number[];
  /** This week's playlist of userIds[0]: 100 items. */
  playlistId: number;
  smallPlaylistId: number;
  weekStart: string;
  alsVersionId: number;
  textVersionId: number;
  stop(): Promise<void>;
}

/**
 * Starts an API world before a describe block's tests and stops it after them (jobs the tests
 * started are settled first); nothing starts when `skip` (PostgreSQL unreachable).
 */
export function useApiWorld(target: Target, skip: boolean, set: (world: ApiWorld) => void): void {
  let world: ApiWorld | undefined;
  beforeAll(async () => {
    if (skip) return;
    world = await startApiWorld(target);
    set(world);
  });
  afterAll(async () => {
    await settleJobs();
    await world?.stop();
  });
}

/**
 * A small world of our own rows: 4 listeners, 4 artists in 4 genres, 120 tracks, a 100-item
 * playlist for listener 0 this week and a 10-item one the week before, and two active model
 * versions (ALS: user and track vectors; TEXT: artist and track vectors with top terms) whose
 * vectors put each artist's tracks in one tight cluster (four clusters in a plane), so neighbours are known.
 */
export async function startApiWorld(target: Target): Promise<ApiWorld> {
  const t = await createTestDatabase(target);
  const q = t.db.query;
  const users = await upsertUsers(
    q,
    [0, 1, 2, 3].map((i) => ({ externalKey: `u${i}`, name: `Listener ${i}`, timeZone: i === 1 ? "Asia/Tokyo" : "UTC" })),
  );
  const genres = ["ambient", "techno", "folk", "jazz"];
  const artists = await upsertArtists(
    q,
    [0, 1, 2, 3].map((i) => ({ externalKey: `a${i}`, name: `Artist ${i}`, genre: genres[i] })),
  );
  const artistIds = [0, 1, 2, 3].map((i) => artists.get(`a${i}`)!);
  const tracks = await upsertTracks(
    q,
    Array.from({ length: 120 }, (_, i) => ({
      externalKey: `t${i}`,
      title: `Song ${i}`,
      artistId: artistIds[i % 4],
      durationMs: 180_000 + i * 1000,
      genre: genres[i % 4],
    })),
  );
  const trackIds = Array.from({ length: 120 }, (_, i) => tracks.get(`t${i}`)!);
  const userIds = [0, 1, 2, 3].map((i) => users.get(`u${i}`)!);
  const weekStart = weekStartFor(new Date(), "UTC");
  const lastWeek = new Date(Date.parse(`${weekStart}T00:00:00Z`) - 7 * 86400_000).toISOString().slice(0, 10);
  const [pl] = await q<{ id: number }>(
    `INSERT INTO weekly_playlists (user_id, week_start, status, model_versions) VALUES ($1, $2::date, 'COMPLETE', '{}') RETURNING id`,
    [userIds[0], weekStart],
  );
  const [small] = await q<{ id: number }>(
    `INSERT INTO weekly_playlists (user_id, week_start, status, model_versions) VALUES ($1, $2::date, 'SHORT', '{}') RETURNING id`,
    [userIds[0], lastWeek],
  );
  await q(
    `INSERT INTO playlist_items (playlist_id, position, track_id, score, scores, reason)
     SELECT $1, p, t, 1.0 / (p + 1), '{"popularity": 0.5}'::jsonb, 'because' FROM unnest($2::int[], $3::int[]) AS x(p, t)`,
    [pl.id, Array.from({ length: 100 }, (_, i) => i), trackIds.slice(0, 100)],
  );
  await q(
    `INSERT INTO playlist_items (playlist_id, position, track_id, score, scores, reason)
     SELECT $1, p, t, 0.5, '{}'::jsonb, 'because' FROM unnest($2::int[], $3::int[]) AS x(p, t)`,
    [small.id, Array.from({ length: 10 }, (_, i) => i), trackIds.slice(100, 110)],
  );
  // Artist a's tracks sit near the unit vector at angle a * 90 degrees in the first two
  // dimensions (plus a small per-track offset): four tight clusters in one plane.
  const clusterVector = (artist: number, jitter: number) => {
    const v = new Float32Array(8);
    v[0] = Math.round(Math.cos((artist * Math.PI) / 2));
    v[1] = Math.round(Math.sin((artist * Math.PI) / 2));
    v[2 + (jitter % 6)] = 0.02 + 0.0005 * jitter;
    return v;
  };
  const alsVersionId = await insertVersion(t.db, "ALS", [
    ...trackIds.map((id, i) => ({ kind: "TRACK", id, v: clusterVector(i % 4, i) })),
    ...userIds.map((id, i) => ({ kind: "USER", id, v: clusterVector(i % 2, i) })),
  ]);
  const textVersionId = await insertVersion(t.db, "TEXT", [
    ...trackIds.map((id, i) => ({ kind: "TRACK", id, v: clusterVector((i + 1) % 4, i) })),
    ...artistIds.map((id, i) => ({ kind: "ARTIST", id, v: clusterVector((i + 1) % 4, i) })),
  ]);
  await q(
    `INSERT INTO top_terms (model_version_id, entity_kind, entity_id, term_kind, term, weight) VALUES ($1, 'TRACK', $2, 'ADJ', 'dreamy', 0.9), ($1, 'TRACK', $2, 'NP', 'slow synth', 0.7), ($1, 'ARTIST', $3, 'N2', 'ambient drone', 0.6)`,
    [textVersionId, trackIds[0], artistIds[0]],
  );
  const keys = {
    admin: (await createApiKey(t.db, { name: "test admin", role: "ADMIN" })).key,
    curator: (await createApiKey(t.db, { name: "test curator", role: "CURATOR" })).key,
    listener: (await createApiKey(t.db, { name: "listener 0", role: "LISTENER", userId: userIds[0] })).key,
    otherListener: (await createApiKey(t.db, { name: "listener 1", role: "LISTENER", userId: userIds[1] })).key,
  };
  const counter = countingDatabase(t.db);
  // No key cache: every request looks its key up, so the query counts in the tests are exact
  // (key-cache.test.ts covers the cache).
  const api = await startApi(counter.db, 0, { http: { keyCacheMs: 0 } });
  // One in-process job worker, as `deepcuts serve` runs (no weekly cron: tests queue runs themselves).
  const worker = await startWorker(t.db, { threads: 1, home: t.home ?? tmpdir(), schedule: false });
  return {
    t,
    api,
    counter,
    keys,
    userIds,
    artistIds,
    trackIds,
    playlistId: pl.id,
    smallPlaylistId: small.id,
    weekStart,
    alsVersionId,
    textVersionId,
    async stop() {
      await api.stop();
      await worker.stop();
      await t.drop();
    },
  };
}

/** A READY, active model version with the given vectors. */
export async function insertVersion(db: Database, kind: string, vectors: { kind: string; id: number; v: Float32Array }[], active = true): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO model_versions (kind, status, is_active, params, finished_at) VALUES ($1::text::"ModelKind", 'READY', $2, '{}', now()) RETURNING id`,
    [kind, active],
  );
  await db.query(
    `INSERT INTO vectors (model_version_id, entity_kind, entity_id, data) SELECT $1, k::"EntityKind", e, d FROM unnest($2::text[], $3::int[], $4::bytea[]) AS x(k, e, d)`,
    [row.id, vectors.map((x) => x.kind), vectors.map((x) => x.id), vectors.map((x) => Buffer.from(float32ToBytes(x.v)))],
  );
  return row.id;
}
