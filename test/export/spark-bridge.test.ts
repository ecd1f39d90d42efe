import "reflect-metadata";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appConfig } from "../../apps/api/src/config.ts";
import { main } from "../../apps/api/src/cli/main.ts";
import { exportInteractions } from "@deepcuts/engine/export/interactions.ts";
import { importFactors } from "@deepcuts/engine/importers/spark-factors.ts";
import { insertEvents, upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { similarEntities } from "@deepcuts/engine/similarity/similar.ts";
import { loadModelState } from "@deepcuts/engine/weekly/load-model-state.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
const K = 4;

/**
 * A factor table laid out as Spark MLlib's ALSModel writes userFactors / itemFactors
 * (`df.write.parquet`): `id` int (required), `features` array<float> in Parquet's 3-level LIST,
 * snappy-compressed.
 */
function sparkFactorFile(rows: { id: number; features: number[] }[], options: { idType?: "INT32" | "DOUBLE"; featuresName?: string } = {}): Uint8Array {
  const featuresName = options.featuresName ?? "features";
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: "id", data: options.idType === "DOUBLE" ? Float64Array.from(rows, (r) => r.id) : Int32Array.from(rows, (r) => r.id) },
        { name: featuresName, data: rows.map((r) => r.features) },
      ],
      schema: [
        { name: "spark_schema", num_children: 2 },
        { name: "id", type: options.idType ?? "INT32", repetition_type: "REQUIRED" },
        { name: featuresName, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "FLOAT", repetition_type: "REQUIRED" },
      ],
      codec: "SNAPPY",
      createdBy: "parquet-mr version 1.13.1 (as Spark 3.5 writes it; here hyparquet-writer)",
    }),
  );
}

describe.each<Target>(["embedded", "postgres"])("Spark bridge on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  const why = skip ? skipPostgres : "";
  let t: TestDatabase;
  let users: number[];
  let tracks: number[];
  const dir = mkdtempSync(join(tmpdir(), `deepcuts-spark-${target}-`));
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 12, minute));

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    await t.db.transaction(async (query) => {
      const artists = await upsertArtists(query, [
        { externalKey: "sp-a", name: "Alpha" },
        { externalKey: "sp-b", name: "Beta" },
      ]);
      const trackIds = await upsertTracks(
        query,
        Array.from({ length: 4 }, (_, i) => ({
          externalKey: `sp-t${i}`,
          title: `Track ${i}`,
          artistId: artists.get(i < 2 ? "sp-a" : "sp-b")!,
          durationMs: 180_000,
        })),
      );
      tracks = Array.from({ length: 4 }, (_, i) => trackIds.get(`sp-t${i}`)!);
      const userIds = await upsertUsers(
        query,
        [0, 1, 2].map((i) => ({ externalKey: `sp-u${i}`, name: `Listener ${i}` })),
      );
      users = [0, 1, 2].map((i) => userIds.get(`sp-u${i}`)!);
      let n = 0;
      const event = (user: number, kind: "STREAM" | "SAVE" | "SKIP" | "ARTIST_VISIT", track: number | null, artist?: number) => ({
        userId: users[user],
        eventId: `sp-${n}`,
        kind,
        trackId: track === null ? null : tracks[track],
        artistId: artist,
        occurredAt: at(n++),
        msPlayed: kind === "STREAM" ? 180_000 : 0,
      });
      await insertEvents(query, [
        // listener 0: track 0 streamed 3 times, track 1 only saved, artist A's page visited twice
        event(0, "STREAM", 0),
        event(0, "STREAM", 0),
        event(0, "STREAM", 0),
        event(0, "SAVE", 1),
        event(0, "ARTIST_VISIT", null, artists.get("sp-a")),
        event(0, "ARTIST_VISIT", null, artists.get("sp-a")),
        // listener 1: track 2 once, track 3 twice and saved
        event(1, "STREAM", 2),
        event(1, "STREAM", 3),
        event(1, "STREAM", 3),
        event(1, "SAVE", 3),
        // listener 2: only a skip, no positive signal: no row
        event(2, "SKIP", 0),
      ]);
    });
  });
  afterAll(async () => {
    await t?.drop();
  });

  const counts = async () => {
    const [row] = await t.db.query<{ versions: number; vectors: number }>(
      `SELECT (SELECT count(*)::int FROM model_versions) AS versions, (SELECT count(*)::int FROM vectors) AS vectors`,
    );
    return row;
  };

  it.skipIf(skip)(`exports interactions as Parquet that a second reader reads back with the known counts ${why}`, async () => {
    const out = join(dir, "interactions.parquet");
    const result = await exportInteractions(t.db, { out, format: "parquet" });
    expect(result).toMatchObject({ rows: 4, listeners: 2, items: 4, level: "track" });
    const buffer = new Uint8Array(readFileSync(out)).buffer;
    const metadata = parquetMetadata(buffer);
    const schema = parquetSchema(metadata);
    expect(schema.children.map((c) => [c.element.name, c.element.type])).toEqual([
      ["user", "INT32"],
      ["item", "INT32"],
      ["rating", "FLOAT"],
      ["streams", "INT32"],
      ["saves", "INT32"],
      ["visits", "INT32"],
      ["user_key", "BYTE_ARRAY"],
      ["item_key", "BYTE_ARRAY"],
    ]);
    expect(metadata.key_value_metadata?.find((kv) => kv.key === "deepcuts.level")?.value).toBe("track");
    const rows = await parquetReadObjects({ file: buffer });
    expect(rows).toEqual([
      { user: users[0], item: tracks[0], rating: 3 + 0.5 * 2, streams: 3, saves: 0, visits: 2, user_key: "sp-u0", item_key: "sp-t0" },
      { user: users[0], item: tracks[1], rating: 5 + 0.5 * 2, streams: 0, saves: 1, visits: 2, user_key: "sp-u0", item_key: "sp-t1" },
      { user: users[1], item: tracks[2], rating: 1, streams: 1, saves: 0, visits: 0, user_key: "sp-u1", item_key: "sp-t2" },
      { user: users[1], item: tracks[3], rating: 2 + 5, streams: 2, saves: 1, visits: 0, user_key: "sp-u1", item_key: "sp-t3" },
    ]);
  });

  it.skipIf(skip)(`imports Spark factor files as a served ALS version, once however often it is imported ${why}`, async () => {
    // userFactors as a folder of two part files plus Spark's _SUCCESS marker; itemFactors one file.
    const userDir = join(dir, "userFactors");
    mkdirSync(userDir);
    const userVector = (u: number) => [1 + u, 0.5, -0.25 * u, 0.125];
    writeFileSync(join(userDir, "part-00000-x.snappy.parquet"), sparkFactorFile([{ id: users[2], features: userVector(2) }]));
    writeFileSync(join(userDir, "part-00001-x.snappy.parquet"), sparkFactorFile([0, 1].map((u) => ({ id: users[u], features: userVector(u) }))));
    writeFileSync(join(userDir, "_SUCCESS"), "");
    // Tracks 0 and 1 point one way, 2 and 3 another: each one's nearest neighbour is its pair.
    const itemVector = (i: number) => (i < 2 ? [1, 0.1 * i, 0, 0] : [0, 0, 1, 0.1 * i]);
    const itemFile = join(dir, "itemFactors.parquet");
    writeFileSync(itemFile, sparkFactorFile([3, 1, 0, 2].map((i) => ({ id: tracks[i], features: itemVector(i) }))));

    const before = await counts();
    const first = await importFactors(t.db, { users: userDir, items: itemFile, activate: true });
    expect(first).toMatchObject({ created: true, active: true, users: 3, items: 4, factors: K, level: "track" });
    expect(await counts()).toEqual({ versions: before.versions + 1, vectors: before.vectors + 7 });

    // Served: the weekly engine's model state and the similarity service use the imported factors.
    const state = await loadModelState(t.db);
    expect(state.collaborative?.versionId).toBe(first.versionId);
    const model = state.collaborative!.model;
    for (const u of [0, 1, 2]) {
      const row = state.collaborative!.userRow.get(users[u])!;
      expect(Array.from(model.userFactors.data.subarray(row * K, (row + 1) * K))).toEqual(userVector(u).map(Math.fround));
    }
    const neighbours = await similarEntities(t.db, { entity: "TRACK", id: tracks[0], model: "COLLABORATIVE", first: 3 });
    expect(neighbours[0].id).toBe(tracks[1]);
    expect(neighbours[0].score).toBeGreaterThan(0.99);
    expect((await similarEntities(t.db, { entity: "TRACK", id: tracks[3], model: "COLLABORATIVE", first: 1 }))[0].id).toBe(tracks[2]);

    // The same factors again (rows in another order, one file): the same version, nothing stored.
    const usersOneFile = join(dir, "users-again.parquet");
    writeFileSync(usersOneFile, sparkFactorFile([2, 0, 1].map((u) => ({ id: users[u], features: userVector(u) }))));
    const again = await importFactors(t.db, { users: usersOneFile, items: itemFile });
    expect(again).toMatchObject({ created: false, versionId: first.versionId, active: true });
    expect(await counts()).toEqual({ versions: before.versions + 1, vectors: before.vectors + 7 });
  });

  // The embedded database is open in this process already (PGlite allows one opener): the CLI runs against PostgreSQL.
  it.skipIf(skip || target === "embedded")(
    `deepcuts export interactions and import factors from the command line ${target === "embedded" ? "(on PostgreSQL only: this process holds the embedded database, which allows one opener)" : why}`,
    async () => {
      const config = { ...appConfig({}), database: { databaseUrl: t.url, home: dir } };
      const out: string[] = [];
      const err: string[] = [];
      const run = (argv: string[]) => main(argv, { config, out: (line) => out.push(line), err: (line) => err.push(line) });
      const file = join(dir, "cli-interactions.parquet");
      expect(await run(["export", "interactions", "--format", "parquet", "--out", file, "--quiet"])).toBe(0);
      expect(out.pop()).toMatch(/wrote 4 listener x track interactions \(2 listeners, 4 tracks\)/);
      expect((await parquetReadObjects({ file: new Uint8Array(readFileSync(file)).buffer })).length).toBe(4);
      expect(await run(["export", "interactions", "--format", "csv"])).toBe(2);
      expect(err.pop()).toMatch(/--format must be one of parquet, got 'csv'/);
      expect(await run(["import", "factors", "--users", join(dir, "userFactors")])).toBe(2);
      expect(err.pop()).toMatch(/import factors needs --items/);
      expect(await run(["import", "factors", "--users", join(dir, "userFactors"), "--items", join(dir, "itemFactors.parquet"), "--quiet", "--json"])).toBe(0);
      expect(JSON.parse(out.pop()!)).toMatchObject({ created: false, active: true, users: 3, items: 4, factors: K });
      const nan = join(dir, "cli-nan.parquet");
      writeFileSync(
        nan,
        sparkFactorFile([
          { id: users[0], features: [1, 2, 3, 4] },
          { id: users[1], features: [1, NaN, 3, 4] },
        ]),
      );
      expect(await run(["import", "factors", "--users", nan, "--items", join(dir, "itemFactors.parquet"), "--quiet"])).toBe(1);
      expect(err.pop()).toMatch(/cli-nan\.parquet: row 2, column features: element 1 is NaN/);
    },
  );

  it.skipIf(skip)(`rejects bad factor files naming file, row and column, storing nothing ${why}`, async () => {
    const good = join(dir, "good-items.parquet");
    writeFileSync(good, sparkFactorFile(tracks.map((id) => ({ id, features: [1, 2, 3, 4] }))));
    const bad = (name: string, bytes: Uint8Array | string) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const cases: [string, string, RegExp][] = [
      [
        bad(
          "nan.parquet",
          sparkFactorFile([
            { id: users[0], features: [1, 2, 3, 4] },
            { id: users[1], features: [1, NaN, 3, 4] },
          ]),
        ),
        good,
        /nan\.parquet: row 2, column features: element 1 is NaN/,
      ],
      [
        bad(
          "ragged.parquet",
          sparkFactorFile([
            { id: users[0], features: [1, 2, 3, 4] },
            { id: users[1], features: [1, 2, 3] },
          ]),
        ),
        good,
        /ragged\.parquet: row 2, column features: has 3 factors, the rows before it 4/,
      ],
      [
        bad("narrow.parquet", sparkFactorFile([{ id: users[0], features: [1, 2, 3] }])),
        good,
        /good-items\.parquet: column features: items have 4 factors but the users .* have 3/,
      ],
      [
        bad(
          "stranger.parquet",
          sparkFactorFile([
            { id: users[0], features: [1, 2, 3, 4] },
            { id: 987654, features: [1, 2, 3, 4] },
          ]),
        ),
        good,
        /stranger\.parquet: row 2, column id: no listener has id 987654/,
      ],
      [
        bad(
          "twice.parquet",
          sparkFactorFile([
            { id: users[0], features: [1, 2, 3, 4] },
            { id: users[0], features: [1, 2, 3, 4] },
          ]),
        ),
        good,
        /twice\.parquet: row 2, column id: id \d+ appears twice \(first at .*twice\.parquet row 1\)/,
      ],
      [
        bad("double-id.parquet", sparkFactorFile([{ id: users[0], features: [1, 2, 3, 4] }], { idType: "DOUBLE" })),
        good,
        /double-id\.parquet: column id: must be an integer column \(INT32 or INT64\), got DOUBLE/,
      ],
      [
        bad("no-features.parquet", sparkFactorFile([{ id: users[0], features: [1, 2, 3, 4] }], { featuresName: "vector" })),
        good,
        /no-features\.parquet: no column 'features' \(columns: id, vector\)/,
      ],
      [bad("not-parquet.parquet", "user,item\n1,2\n"), good, /not-parquet\.parquet: not a readable Parquet file/],
      [join(dir, "absent.parquet"), good, /absent\.parquet: does not exist/],
    ];
    const before = await counts();
    for (const [usersFile, itemsFile, message] of cases) {
      await expect(importFactors(t.db, { users: usersFile, items: itemsFile, activate: true })).rejects.toThrow(message);
    }
    // Rows are read in slices of 65,536: a bad row in the second slice is named by its row in the file.
    const many = Array.from({ length: 70_000 }, (_, i) => ({ id: i + 1, features: i === 69_999 ? [1, Infinity, 3, 4] : [1, 2, 3, 4] }));
    await expect(importFactors(t.db, { users: bad("long.parquet", sparkFactorFile(many)), items: good })).rejects.toThrow(
      /long\.parquet: row 70000, column features: element 1 is Infinity/,
    );
    // An unknown track id in the items file is named too.
    const strangeItems = bad("strange-items.parquet", sparkFactorFile([...tracks, 555555].map((id) => ({ id, features: [1, 2, 3, 4] }))));
    const okUsers = bad("ok-users.parquet", sparkFactorFile([{ id: users[0], features: [1, 2, 3, 4] }]));
    await expect(importFactors(t.db, { users: okUsers, items: strangeItems })).rejects.toThrow(
      /strange-items\.parquet: row 5, column id: no track has id 555555/,
    );
    expect(await counts()).toEqual(before);
  });
});
