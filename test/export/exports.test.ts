import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportGraph } from "@deepcuts/engine/export/graph.ts";
import { exportVectors } from "@deepcuts/engine/export/vectors.ts";
import { insertEvents, upsertArtists, upsertTracks, upsertUsers } from "@deepcuts/engine/ingest.ts";
import { beginModelVersion, finishModelVersion } from "@deepcuts/engine/training/model-versions.ts";
import { storeVectors } from "@deepcuts/engine/training/vector-store.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";
import { readNpy } from "./npy-reader.ts";

const skipPostgres = await postgresUnavailable();
const numpy = (() => {
  try {
    execFileSync("python3", ["-c", "import numpy"], { stdio: "ignore" });
    return null;
  } catch {
    return "(numpy's own reader skipped: python3 with numpy is not installed)";
  }
})();

const DIM = 4;
/** Track vectors with a known neighbourhood: tracks 0-2 point one way, 3-5 another. */
const trackVector = (i: number) => (i < 3 ? [1, 0.1 * i, 0, 0] : [0, 0, 1, 0.1 * i]);

describe.each<Target>(["embedded", "postgres"])("exports on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let trackIds: number[];
  const dir = mkdtempSync(join(tmpdir(), `deepcuts-export-${target}-`));
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    await t.db.transaction(async (query) => {
      const artists = await upsertArtists(query, [
        { externalKey: "x-a", name: "Alpha & Omega", genre: "post-punk" },
        { externalKey: "x-b", name: 'Béla "B" <Trio>', genre: "jazz" },
      ]);
      const tracks = await upsertTracks(
        query,
        Array.from({ length: 6 }, (_, i) => ({
          externalKey: `x-t${i}`,
          title: `Song, "${i}"`,
          artistId: artists.get(i < 3 ? "x-a" : "x-b")!,
          durationMs: 200_000,
          genre: i < 3 ? "post-punk" : "jazz",
        })),
      );
      trackIds = Array.from({ length: 6 }, (_, i) => tracks.get(`x-t${i}`)!);
      const users = await upsertUsers(query, [{ externalKey: "x-u", name: "Exporter" }]);
      await insertEvents(
        query,
        trackIds.flatMap((trackId, i) =>
          Array.from({ length: i + 1 }, (_, n) => ({
            userId: users.get("x-u")!,
            eventId: `x-${i}-${n}`,
            kind: "STREAM" as const,
            trackId,
            occurredAt: new Date(Date.UTC(2026, 9, 1, i, n)),
            msPlayed: 200_000,
          })),
        ),
      );
    });
    // A control character that slipped in before validation existed must not break the XML.
    await t.db.query(`UPDATE tracks SET title = 'Bad' || chr(1) || 'Title' || chr(27) WHERE external_key = 'x-t5'`);
    const version = await beginModelVersion(t.db, "ALS", { factors: DIM });
    await storeVectors(t.db, version, "TRACK", trackIds, { rows: 6, cols: DIM, data: Float32Array.from(trackIds.flatMap((_, i) => trackVector(i))) });
    await finishModelVersion(t.db, version, { metrics: {} });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)(`vectors as npy with metadata beside, read back by a second reader ${numpy ?? "and by numpy"} ${skip ? skipPostgres : ""}`, async () => {
    const out = join(dir, "als.npy");
    const result = await exportVectors(t.db, { model: "als", entity: "TRACK", format: "npy", out });
    expect(result).toMatchObject({ rows: 6, dimensions: DIM, files: [out, join(dir, "als.meta.csv")] });
    const npy = readNpy(new Uint8Array(readFileSync(out)));
    expect(npy).toMatchObject({ shape: [6, DIM], descr: "<f4", fortran: false });
    expect(Array.from(npy.data)).toEqual(Array.from(Float32Array.from(trackIds.flatMap((_, i) => trackVector(i)))));
    const meta = parseCsv<Record<string, string>>(readFileSync(join(dir, "als.meta.csv")), { columns: true });
    expect(meta.map((m) => [Number(m.row), Number(m.entity_id), m.external_key, m.artist, Number(m.plays)])).toEqual(
      trackIds.map((id, i) => [i, id, `x-t${i}`, i < 3 ? "Alpha & Omega" : 'Béla "B" <Trio>', i + 1]),
    );
    expect(meta[1].name).toBe('Song, "1"');
    if (!numpy) {
      const printed = execFileSync("python3", [
        "-c",
        "import numpy as np, json, sys; a = np.load(sys.argv[1]); print(json.dumps([str(a.dtype), list(a.shape), a.tolist()]))",
        out,
      ]).toString();
      const [dtype, shape, rows] = JSON.parse(printed);
      expect([dtype, shape]).toEqual(["float32", [6, DIM]]);
      expect(rows.flat()).toEqual(Array.from(npy.data));
    }
  });

  it.skipIf(skip)("vectors as Parquet (read with hyparquet), CSV and TSV (read with csv-parse)", async () => {
    const parquet = join(dir, "als.parquet");
    await exportVectors(t.db, { model: "als", entity: "TRACK", format: "parquet", out: parquet });
    const buffer = readFileSync(parquet);
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows.length).toBe(6);
    expect(rows.map((r) => [r.entity_id, r.external_key, r.genre, r.plays, r.inherited])).toEqual(
      trackIds.map((id, i) => [id, `x-t${i}`, i < 3 ? "post-punk" : "jazz", i + 1, false]),
    );
    expect(rows.map((r) => [r.f0, r.f1, r.f2, r.f3].map((v) => Math.fround(v as number)))).toEqual(trackIds.map((_, i) => trackVector(i).map(Math.fround)));
    const kv = parquetMetadata(file).key_value_metadata ?? [];
    expect(kv.find((e) => e.key === "deepcuts.model")?.value).toBe("als");

    for (const [format, delimiter] of [
      ["csv", ","],
      ["tsv", "\t"],
    ] as const) {
      const out = join(dir, `als.${format}`);
      await exportVectors(t.db, { model: "als", entity: "TRACK", format, out });
      const table = parseCsv<Record<string, string>>(readFileSync(out), { columns: true, delimiter, quote: format === "csv" ? '"' : false });
      expect(Object.keys(table[0])).toEqual(["entity_id", "external_key", "name", "artist", "genre", "plays", "inherited", "f0", "f1", "f2", "f3"]);
      expect(table.map((r) => [r.f0, r.f1, r.f2, r.f3].map(Number))).toEqual(trackIds.map((_, i) => trackVector(i).map(Math.fround)));
      expect(table[3].artist).toBe('Béla "B" <Trio>');
    }
    await expect(exportVectors(t.db, { model: "als", entity: "USER", format: "csv", out: join(dir, "u.csv") })).rejects.toThrow(
      "has no user vectors (it stores: track)",
    );
    await expect(exportVectors(t.db, { model: "text", entity: "TRACK", format: "csv", out: join(dir, "t.csv") })).rejects.toThrow("no active text model");
  });

  it.skipIf(skip)("the similarity graph as GEXF and GraphML: well-formed, declared attributes, edges between real nodes, control characters gone", async () => {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ["node", "edge", "attribute", "attvalue", "key", "data"].includes(name),
    });
    const gexfPath = join(dir, "tracks.gexf");
    const gexfResult = await exportGraph(t.db, { model: "COLLABORATIVE", entity: "TRACK", k: 2, minScore: 0.5, nodes: 100, format: "gexf", out: gexfPath });
    const gexfText = readFileSync(gexfPath, "utf8");
    expect(XMLValidator.validate(gexfText)).toBe(true);
    // eslint-disable-next-line no-control-regex -- looking for exactly the characters XML cannot carry
    expect(gexfText).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const gexf = parser.parse(gexfText).gexf;
    // GEXF 1.3's schema: a gexf root in its namespace with version, a graph of nodes (id, label) and edges (id, source, target).
    expect(gexf.xmlns).toBe("http://gexf.net/1.3");
    expect(gexf.version).toBe("1.3");
    const graph = gexf.graph;
    expect(["static", "dynamic"]).toContain(graph.mode);
    const declared = new Map<string, string>(graph.attributes.attribute.map((a: { id: string; type: string }) => [a.id, a.type]));
    expect([...declared.keys()]).toEqual(["artist", "genre", "plays", "external_key"]);
    for (const type of declared.values()) expect(["integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI"]).toContain(type);
    const nodes = graph.nodes.node as { id: string; label: string; attvalues: { attvalue: { for: string; value: string }[] } }[];
    expect(nodes.length).toBe(6);
    for (const n of nodes) for (const v of n.attvalues.attvalue) expect(declared.has(v.for)).toBe(true);
    const byKey = new Map(nodes.map((n) => [n.attvalues.attvalue.find((v) => v.for === "external_key")!.value, n]));
    expect(byKey.get("x-t5")!.label).toBe("BadTitle");
    expect(byKey.get("x-t4")!.attvalues.attvalue.find((v) => v.for === "plays")!.value).toBe("5");
    expect(byKey.get("x-t4")!.attvalues.attvalue.find((v) => v.for === "artist")!.value).toBe('Béla "B" <Trio>');
    const ids = new Set(nodes.map((n) => n.id));
    const edges = graph.edges.edge as { id: string; source: string; target: string; weight: string }[];
    expect(edges.length).toBe(gexfResult.edges);
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
    // Two clusters of three and k = 2 with min score 0.5: each cluster is a triangle, nothing between them.
    const cluster = (id: string) => (trackIds.indexOf(Number(id)) < 3 ? "a" : "b");
    expect(edges.length).toBe(6);
    for (const e of edges) {
      expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      expect(cluster(e.source)).toBe(cluster(e.target));
      expect(Number(e.weight)).toBeGreaterThan(0.5);
    }

    const graphmlPath = join(dir, "tracks.graphml");
    await exportGraph(t.db, { model: "COLLABORATIVE", entity: "TRACK", k: 2, minScore: 0.5, nodes: 100, format: "graphml", out: graphmlPath });
    const graphmlText = readFileSync(graphmlPath, "utf8");
    expect(XMLValidator.validate(graphmlText)).toBe(true);
    const graphml = parser.parse(graphmlText).graphml;
    expect(graphml.xmlns).toBe("http://graphml.graphdrawing.org/xmlns");
    const keys = new Map<string, { for: string; "attr.type": string }>(graphml.key.map((k: { id: string }) => [k.id, k]));
    for (const k of keys.values()) expect(["boolean", "int", "long", "float", "double", "string"]).toContain(k["attr.type"]);
    expect(graphml.graph.edgedefault).toBe("undirected");
    const gNodes = graphml.graph.node as { id: string; data: { key: string; "#text": string | number }[] }[];
    const gIds = new Set(gNodes.map((n) => n.id));
    for (const n of gNodes) for (const d of n.data) expect(keys.get(d.key)?.for).toBe("node");
    for (const e of graphml.graph.edge as { source: string; target: string; data: { key: string }[] }[]) {
      expect(gIds.has(e.source) && gIds.has(e.target)).toBe(true);
      expect(keys.get(e.data[0].key)?.for).toBe("edge");
    }
    expect(graphml.graph.edge.length).toBe(6);
    // Artists get a vector from their tracks' mean when the model stores only tracks.
    const artistPath = join(dir, "artists.graphml");
    const artists = await exportGraph(t.db, { model: "COLLABORATIVE", entity: "ARTIST", k: 1, minScore: -1, nodes: 10, format: "graphml", out: artistPath });
    expect(artists).toMatchObject({ nodes: 2, edges: 1 });
  });
});
