import { describe, expect, it } from "vitest";
import { seededRandom, shuffle } from "@deepcuts/models/core";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();
const EVENTS = `mutation($u:Int!,$e:[EventInput!]!){ recordEvents(userId:$u, events:$e){ received recorded duplicates } }`;
const PER_USER = 150,
  BATCH = 30,
  CLIENTS_PER_USER = 3;

describe.each<Target>(["embedded", "postgres"])("concurrent event batches on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  it.skipIf(skip)(`many clients resending the same batches lose nothing and double nothing ${skip ? skipPostgres : ""}`, async () => {
    const random = seededRandom(11);
    const keys = await Promise.all(w.userIds.map((u, i) => createApiKey(w.t.db, { name: `client ${i}`, role: "LISTENER", userId: u })));
    const expected = new Map<string, { streams: number; ms: number }>();
    const batchesOf = w.userIds.map((userId, u) => {
      const events = Array.from({ length: PER_USER }, (_, i) => {
        const trackId = w.trackIds[Math.floor(random() * 40)];
        const kind = i % 6 === 5 ? "SKIP" : "STREAM";
        const msPlayed = kind === "STREAM" ? 30_000 + Math.floor(random() * 150_000) : 2_000;
        if (kind === "STREAM") {
          const k = `${userId}:${trackId}`;
          const e = expected.get(k) ?? { streams: 0, ms: 0 };
          e.streams++;
          e.ms += msPlayed;
          expected.set(k, e);
        }
        return { eventId: `u${u}-e${i}`, kind, trackId, msPlayed, occurredAt: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString() };
      });
      return Array.from({ length: PER_USER / BATCH }, (_, b) => events.slice(b * BATCH, (b + 1) * BATCH));
    });
    // Each listener has several clients (phone, laptop, a retry queue) that all send every batch
    // in their own order, and each client retries a third of its batches at once.
    const sends: Promise<{ recorded: number; received: number; duplicates: number }>[] = [];
    w.userIds.forEach((userId, u) => {
      for (let c = 0; c < CLIENTS_PER_USER; c++) {
        const order = Array.from({ length: batchesOf[u].length }, (_, i) => i);
        shuffle(order, random);
        const client = async () => {
          const results = [];
          for (const b of order) {
            const attempt = () => gql(w.api.url, EVENTS, { u: userId, e: batchesOf[u][b] }, keys[u].key);
            const tries = b % 3 === c ? [attempt(), attempt()] : [attempt()];
            for (const r of await Promise.all(tries)) {
              expect(codesOf(r)).toEqual([]);
              // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed: push() infers unknown without it
              results.push(r.body.data!.recordEvents as { recorded: number; received: number; duplicates: number });
            }
          }
          return results;
        };
        sends.push(
          ...[client()].map(async (p) =>
            (await p).reduce((a, r) => ({ recorded: a.recorded + r.recorded, received: a.received + r.received, duplicates: a.duplicates + r.duplicates }), {
              recorded: 0,
              received: 0,
              duplicates: 0,
            }),
          ),
        );
      }
    });
    const totals = (await Promise.all(sends)).reduce((a, r) => ({
      recorded: a.recorded + r.recorded,
      received: a.received + r.received,
      duplicates: a.duplicates + r.duplicates,
    }));
    const unique = w.userIds.length * PER_USER;
    expect(totals.recorded).toBe(unique);
    expect(totals.duplicates).toBe(totals.received - unique);
    expect(totals.received).toBeGreaterThan(CLIENTS_PER_USER * unique);

    const [count] = await w.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events WHERE event_id LIKE 'u%-e%'`);
    expect(count.n).toBe(unique);
    const stats = await w.t.db.query<{ user_id: number; track_id: number; streams: number; ms: string }>(
      `SELECT user_id, track_id, streams, ms_played::text AS ms FROM user_track_stats WHERE streams > 0`,
    );
    const got = new Map(stats.map((s) => [`${s.user_id}:${s.track_id}`, { streams: s.streams, ms: Number(s.ms) }]));
    expect(got).toEqual(expected);
  });
});
