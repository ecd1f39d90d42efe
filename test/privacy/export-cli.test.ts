import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appConfig, main } from "@deepcuts/api";
import { embeddedDataDir, openEmbedded, type Database } from "@deepcuts/db";
import { userRowCount } from "@deepcuts/models/cf";
import { recordEventBatch } from "@deepcuts/engine/listener/events.ts";
import { upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { trainCollaborative } from "@deepcuts/engine/training/collaborative.ts";
import { createTestDatabase } from "../support/databases.ts";

// `deepcuts export listener` and `deepcuts delete listener` end to end on an embedded database of
// its own, and training after a deletion: the new model has no row and no vector of the deleted listener.
const dir = mkdtempSync(join(tmpdir(), "deepcuts-privacy-cli-"));
let home: string;
const EVENTS_PER_LISTENER = 30;

async function run(...argv: string[]) {
  const out: string[] = [],
    err: string[] = [];
  const config = { ...appConfig(), database: { databaseUrl: null, home } };
  const code = await main(argv, { config, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A small ALS model trained by the same code as `deepcuts train` (two sweeps of 4 factors: seconds, not minutes). */
async function trainSmallAls(db: Database): Promise<void> {
  await trainCollaborative(db, "ALS", { params: { factors: 4, iterations: 2, seed: 1, backend: "cpu" }, threads: 1 });
}

async function withDb<T>(work: (db: Awaited<ReturnType<typeof openEmbedded>>) => Promise<T>): Promise<T> {
  const db = await openEmbedded(embeddedDataDir(home), "privacy cli test");
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  const t = await createTestDatabase("embedded");
  const q = t.db.query;
  const users = await upsertUsers(
    q,
    [0, 1, 2].map((i) => ({ externalKey: `cli-u${i}`, name: `CLI listener ${i}` })),
  );
  const artists = await upsertArtists(
    q,
    [0, 1, 2].map((i) => ({ externalKey: `cli-a${i}`, name: `CLI Artist ${i}` })),
  );
  const tracks = await upsertTracks(
    q,
    Array.from({ length: 12 }, (_, i) => ({ externalKey: `cli-t${i}`, title: `CLI Song ${i}`, artistId: artists.get(`cli-a${i % 3}`)!, durationMs: 200_000 })),
  );
  for (const u of [0, 1, 2]) {
    await recordEventBatch(
      t.db,
      users.get(`cli-u${u}`)!,
      Array.from({ length: EVENTS_PER_LISTENER }, (_, n) => ({
        eventId: `cli-${u}-${n}`,
        kind: "STREAM" as const,
        trackId: tracks.get(`cli-t${(u * 4 + (n % 6)) % 12}`)!,
        occurredAt: new Date(Date.now() - (n + 1) * 60_000),
        msPlayed: 180_000,
      })),
    );
  }
  await t.db.close();
  home = t.home!;
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe("deepcuts export listener, delete listener", () => {
  it("writes the archive of a listener named by external key or id, and refuses bad arguments naming them", async () => {
    await withDb((db) => trainSmallAls(db));
    const file = join(dir, "u0.json");
    const byKey = await run("export", "listener", "--user", "cli-u0", "--out", file, "--quiet", "--json");
    expect(byKey.code, byKey.err).toBe(0);
    const archive = JSON.parse(readFileSync(file, "utf8")) as {
      listener: { id: number; external_key: string };
      events: { event_id: string }[];
      vectors: unknown[];
      counts: Record<string, number>;
    };
    expect(archive.listener.external_key).toBe("cli-u0");
    expect(archive.events.map((e) => e.event_id).sort()).toEqual(Array.from({ length: EVENTS_PER_LISTENER }, (_, n) => `cli-0-${n}`).sort());
    expect(archive.counts.listening_events).toBe(EVENTS_PER_LISTENER);
    expect(archive.vectors).toHaveLength(1);
    expect(JSON.parse(byKey.out)).toMatchObject({ userId: archive.listener.id, externalKey: "cli-u0", file });

    const byId = await run("export", "listener", "--user", String(archive.listener.id), "--out", join(dir, "by-id.json"), "--quiet");
    expect(byId.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "by-id.json"), "utf8")).events).toHaveLength(EVENTS_PER_LISTENER);

    const noUser = await run("export", "listener", "--out", file);
    expect([noUser.code, noUser.err]).toEqual([2, expect.stringContaining("needs --user")]);
    const format = await run("export", "listener", "--user", "cli-u0", "--format", "csv");
    expect([format.code, format.err]).toEqual([2, expect.stringContaining("--format does not apply to export listener")]);
    const unknown = await run("export", "listener", "--user", "nobody", "--out", file, "--quiet");
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining("listener 'nobody'")]);
  });

  it("training after a deletion stores no row and no vector of the deleted listener", async () => {
    const unsure = await run("delete", "listener", "--user", "cli-u1");
    expect([unsure.code, unsure.err]).toEqual([2, expect.stringContaining("add --yes")]);
    const done = await run("delete", "listener", "--user", "cli-u1", "--yes", "--json");
    expect(done.code, done.err).toBe(0);
    const report = JSON.parse(done.out) as { userId: number; tables: { table: string; rows: number }[]; artifactRows: number };
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toMatchObject({ users: 1, listening_events: EVENTS_PER_LISTENER, vectors: 1 });
    expect(report.artifactRows).toBe(1);
    const deleted = report.userId;
    await withDb(async (db) => {
      await trainSmallAls(db);
      const versions = await db.query<{ id: number; artifact: Uint8Array }>(`SELECT id, artifact FROM model_versions WHERE kind = 'ALS' ORDER BY id`);
      expect(versions).toHaveLength(2);
      for (const v of versions) {
        const users = await db.query<{ entity_id: number }>(
          `SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = 'USER' ORDER BY entity_id`,
          [v.id],
        );
        expect(users.map((r) => r.entity_id)).not.toContain(deleted);
        expect(users).toHaveLength(2);
        // The saved model has exactly one row per remaining listener, the first version's trimmed by the deletion.
        expect(userRowCount(new Uint8Array(v.artifact))).toBe(2);
      }
    });
    expect((await run("export", "listener", "--user", "cli-u1", "--out", join(dir, "gone.json"), "--quiet")).code).toBe(1);
  });
});
