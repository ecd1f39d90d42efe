import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import { readNpy } from "../export/npy-reader.ts";
import { useApiWorld, type ApiWorld } from "./support.ts";

/** GETs a download path of the API with the key (if any) as a Bearer token. */
async function download(w: ApiWorld, path: string, key?: string): Promise<Response> {
  return fetch(new URL(path, w.api.url), { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

async function refusal(response: Response): Promise<{ status: number; code: string; message: string }> {
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
  return { status: response.status, code: body.errors[0].extensions.code, message: body.errors[0].message };
}

describe("vector and graph downloads over HTTP (embedded)", () => {
  let w: ApiWorld;
  useApiWorld("embedded", false, (world) => (w = world));

  it("vectors in each format, read back by readers other than the writer", async () => {
    const npy = await download(w, "/export/vectors?model=als&entity=track&format=npy", w.keys.curator);
    expect(npy.status).toBe(200);
    expect(npy.headers.get("content-type")).toBe("application/octet-stream");
    expect(npy.headers.get("content-disposition")).toBe(`attachment; filename="als-track-vectors-v${w.alsVersionId}.npy"`);
    const matrix = readNpy(new Uint8Array(await npy.arrayBuffer()));
    expect(matrix).toMatchObject({ shape: [120, 8], descr: "<f4", fortran: false });

    const parquet = await download(w, "/export/vectors?model=als&format=parquet", w.keys.admin);
    expect(parquet.status).toBe(200);
    expect(parquet.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const file = await parquet.arrayBuffer();
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows.map((r) => r.entity_id)).toEqual([...w.trackIds].sort((a, b) => a - b));
    expect(rows[0]).toMatchObject({ external_key: "t0", artist: "Artist 0", genre: "ambient" });
    expect(parquetMetadata(file).key_value_metadata).toContainEqual({ key: "deepcuts.model_version", value: String(w.alsVersionId) });
    // Row r of the npy matrix is row r of the Parquet file (entity id order).
    expect(Array.from(matrix.data.subarray(0, 8))).toEqual(Array.from({ length: 8 }, (_, f) => rows[0][`f${f}`]));

    for (const [format, delimiter, type] of [
      ["csv", ",", "text/csv; charset=utf-8"],
      ["tsv", "\t", "text/tab-separated-values; charset=utf-8"],
    ] as const) {
      const response = await download(w, `/export/vectors?model=text&entity=artist&format=${format}`, w.keys.curator);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="text-artist-vectors-v${w.textVersionId}.${format}"`);
      const table = parseCsv<Record<string, string>>(await response.text(), { columns: true, delimiter });
      expect(table.map((r) => r.external_key)).toEqual(["a0", "a1", "a2", "a3"]);
      expect(Object.keys(table[0])).toEqual([
        "entity_id",
        "external_key",
        "name",
        "artist",
        "genre",
        "plays",
        "inherited",
        ...Array.from({ length: 8 }, (_, f) => `f${f}`),
      ]);
    }
  });

  it("the similarity graph as GEXF and GraphML: well-formed XML, each node's cluster as its neighbours", async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });
    const gexfResponse = await download(w, "/export/graph?model=collaborative&entity=track&format=gexf&k=3&nodes=40", w.keys.curator);
    expect(gexfResponse.status).toBe(200);
    expect(gexfResponse.headers.get("content-type")).toBe("application/gexf+xml; charset=utf-8");
    expect(gexfResponse.headers.get("content-disposition")).toBe(`attachment; filename="track-collaborative-graph.gexf"`);
    const gexfText = await gexfResponse.text();
    expect(XMLValidator.validate(gexfText)).toBe(true);
    const gexf = parser.parse(gexfText).gexf;
    expect(gexf.xmlns).toBe("http://gexf.net/1.3");
    const nodes = gexf.graph.nodes.node as { id: string }[];
    expect(nodes).toHaveLength(40);
    const artistOf = new Map(w.trackIds.map((id, i) => [String(id), i % 4]));
    const edges = gexf.graph.edges.edge as { source: string; target: string; weight: string }[];
    expect(edges.length).toBeGreaterThanOrEqual(40 * 1.5);
    expect(edges.every((e) => artistOf.get(e.source) === artistOf.get(e.target) && Number(e.weight) > 0.9)).toBe(true);

    const graphmlResponse = await download(w, "/export/graph?format=graphml", w.keys.admin);
    expect(graphmlResponse.status).toBe(200);
    expect(graphmlResponse.headers.get("content-type")).toBe("application/graphml+xml; charset=utf-8");
    expect(graphmlResponse.headers.get("content-disposition")).toBe(`attachment; filename="artist-collaborative-graph.graphml"`);
    const graphmlText = await graphmlResponse.text();
    expect(XMLValidator.validate(graphmlText)).toBe(true);
    const graphml = parser.parse(graphmlText).graphml;
    expect(graphml.xmlns).toBe("http://graphml.graphdrawing.org/xmlns");
  });

  it("only curator and admin keys: no key 401, an unknown key 401, a listener 403, in the API's JSON error shape", async () => {
    const path = "/export/vectors?model=als&format=csv";
    expect(await refusal(await download(w, path))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(await refusal(await download(w, path, "dc_not-a-key"))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(await refusal(await download(w, path, w.keys.listener))).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(await refusal(await download(w, "/export/graph?format=gexf", w.keys.listener))).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const post = await fetch(new URL(path, w.api.url), { method: "POST", headers: { authorization: `Bearer ${w.keys.curator}` } });
    expect(await refusal(post)).toMatchObject({ status: 405, code: "METHOD_NOT_ALLOWED" });
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("a bad parameter is a 400 naming it; a missing model version a 404", async () => {
    const bad = async (path: string) => refusal(await download(w, path, w.keys.curator));
    expect(await bad("/export/vectors?model=als&format=xlsx")).toMatchObject({
      status: 400,
      code: "BAD_USER_INPUT",
      message: expect.stringMatching(/^format: must be one of npy, parquet, csv, tsv, got 'xlsx'/),
    });
    expect(await bad("/export/vectors?format=csv")).toMatchObject({ status: 400, message: expect.stringMatching(/^model: required/) });
    expect(await bad("/export/vectors?model=als&format=csv&entity=album")).toMatchObject({ status: 400, message: expect.stringMatching(/^entity: /) });
    expect(await bad("/export/vectors?model=als&format=csv&version=abc")).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^version: must be an integer/),
    });
    expect(await bad("/export/vectors?model=als&format=csv&colour=red")).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^colour: unknown parameter/),
    });
    expect(await bad("/export/graph?format=gexf&k=0")).toMatchObject({ status: 400, message: expect.stringMatching(/^k: must be an integer 1\.\.50/) });
    expect(await bad("/export/graph?format=gexf&minScore=2")).toMatchObject({ status: 400, message: expect.stringMatching(/^minScore: /) });
    expect(await bad("/export/graph?format=gexf&format=graphml")).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^format: given more than once/),
    });
    expect(await bad("/export/vectors?model=als&format=csv&version=999999")).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(await bad("/export/vectors?model=lmf&format=csv")).toMatchObject({ status: 409, code: "MODEL_NOT_READY" });
  });
});
