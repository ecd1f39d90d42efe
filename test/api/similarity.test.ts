import { describe, expect, it } from "vitest";
import { NeighbourIndexCache } from "@deepcuts/engine/similarity/index-cache.ts";
import { insertEvents } from "@deepcuts/engine/ingest.ts";
import { codesOf, gql, insertVersion, useApiWorld, type ApiWorld } from "./support.ts";

interface Similar {
  score: number;
  scores: { collaborative: number | null; text: number | null; audio: number | null; coMention: number | null };
  track: { id: number; artistId: number };
}

describe("similarity, graph and projections over HTTP (embedded)", () => {
  let w: ApiWorld;
  const ask = async (query: string, variables: Record<string, unknown> = {}, key?: string) => {
    const r = await gql(w.api.url, query, variables, key ?? w.keys.curator);
    expect(codesOf(r)).toEqual([]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the response's fields freely
    return r.body.data as Record<string, any>;
  };
  useApiWorld("embedded", false, (world) => (w = world));

  it("similar tracks are the seed's own cluster, best first, without the seed", async () => {
    const d = await ask(
      `query($t:Int!){ c: similarTracks(trackId:$t, model:COLLABORATIVE, first:5){ score scores{ collaborative text audio coMention } track{ id: databaseId artistId } }
      t: similarTracks(trackId:$t, model:TEXT, first:29){ score track{ id: databaseId artistId } } }`,
      { t: w.trackIds[0] },
    );
    const c = d.c as Similar[];
    expect(c).toHaveLength(5);
    expect(c.every((s) => s.track.artistId === w.artistIds[0] && s.track.id !== w.trackIds[0])).toBe(true);
    expect(c.map((s) => s.score)).toEqual([...c.map((s) => s.score)].sort((a, b) => b - a));
    // Each neighbour is scored under every model with vectors for both: TEXT as the TEXT query
    // scores the pair; no AUDIO version (null); CO_MENTION is artists only (null).
    const textScore = new Map((d.t as Similar[]).map((s) => [s.track.id, s.score]));
    for (const s of c) {
      expect(s.scores).toEqual({ collaborative: s.score, text: expect.any(Number), audio: null, coMention: null });
      expect(Math.abs(s.scores.text! - textScore.get(s.track.id)!)).toBeLessThan(1e-6);
    }
    // 30 tracks per artist: the 29 others of the same artist come before any other artist's.
    expect((d.t as Similar[]).every((s) => s.track.artistId === w.artistIds[0])).toBe(true);
  });

  it("BLEND is the active blend's weighted mean of the models' cosines", async () => {
    const d = await ask(
      `query($t:Int!){ similarTracks(trackId:$t, model:BLEND, first:3){ score scores{ collaborative text } } activeBlendConfig{ weights{ collaborative text audio } } }`,
      { t: w.trackIds[5] },
    );
    const wts = d.activeBlendConfig.weights;
    for (const s of d.similarTracks as Similar[]) {
      const expected = (wts.collaborative * s.scores.collaborative! + wts.text * s.scores.text!) / (wts.collaborative + wts.text + 0 * wts.audio);
      expect(s.score).toBeCloseTo(expected, 5);
    }
  });

  it("artists under a model without artist rows get their tracks' mean vector; users are found too", async () => {
    const d = await ask(
      `query($a:Int!,$u:Int!){ similarArtists(artistId:$a, model:COLLABORATIVE, first:3){ artist{ id: databaseId } } similarUsers(userId:$u, first:3){ user{ id: databaseId } score } }`,
      { a: w.artistIds[0], u: w.userIds[0] },
    );
    d.neighbourIndexes = (await ask(`{ neighbourIndexes{ model entity kind derived recallAt10 size } }`)).neighbourIndexes;
    expect(d.similarArtists.map((a: { artist: { id: number } }) => a.artist.id).sort()).toEqual(w.artistIds.slice(1).sort());
    // Listeners 0 and 2 share a cluster (i % 2) in the fixture.
    expect(d.similarUsers[0].user.id).toBe(w.userIds[2]);
    const artistIndex = d.neighbourIndexes.find((i: { entity: string; model: string }) => i.entity === "ARTIST" && i.model === "COLLABORATIVE");
    expect(artistIndex).toMatchObject({ kind: "EXACT", derived: true, recallAt10: 1, size: 4 });
  });

  it("activating another model version reloads the served index", async () => {
    // The new version groups tracks by i % 3 instead of by artist.
    const v = (i: number) => Float32Array.from({ length: 8 }, (_, j) => (j === i % 3 ? 1 : j === 7 ? 0.01 * i : 0));
    const id = await insertVersion(
      w.t.db,
      "ALS",
      w.trackIds.map((t, i) => ({ kind: "TRACK", id: t, v: v(i) })),
      false,
    );
    const before = await ask(`query($t:Int!){ similarTracks(trackId:$t, model:COLLABORATIVE, first:3){ track{ id: databaseId } } }`, { t: w.trackIds[0] });
    const asked = Date.now();
    const activated = await ask(`mutation($id:Int!){ activateModelVersion(id:$id){ id: databaseId isActive vectorCount activatedAt } }`, { id }, w.keys.admin);
    const { activatedAt, ...rest } = activated.activateModelVersion as { activatedAt: string; id: number };
    expect(rest).toEqual({ id, isActive: true, vectorCount: 120 });
    // Stamped at activation (the overview compares a version with the one active before it).
    expect(Math.abs(Date.parse(activatedAt) - asked)).toBeLessThan(60_000);
    const after = await ask(`query($t:Int!){ similarTracks(trackId:$t, model:COLLABORATIVE, first:3){ track{ id: databaseId } } }`, { t: w.trackIds[0] });
    after.neighbourIndexes = (await ask(`{ neighbourIndexes{ model entity versionId } }`)).neighbourIndexes;
    const rowOf = new Map(w.trackIds.map((t, i) => [t, i]));
    expect(after.similarTracks.every((s: { track: { id: number } }) => rowOf.get(s.track.id)! % 3 === 0)).toBe(true);
    expect(before.similarTracks).not.toEqual(after.similarTracks);
    expect(after.neighbourIndexes).toContainEqual({ model: "COLLABORATIVE", entity: "TRACK", versionId: id });
    await ask(`mutation($id:Int!){ activateModelVersion(id:$id){ id: databaseId } }`, { id: w.alsVersionId }, w.keys.admin);
  });

  it("the similarity graph grows ring by ring, honours minScore, and exports the same graph as GEXF", async () => {
    const q = `query($s:[Int!]!,$m:Float!){ similarityGraph(seeds:$s, model:COLLABORATIVE, k:3, depth:2, minScore:$m){ nodes{ id depth seed label } edges{ source target score } gexf } }`;
    const g = (await ask(q, { s: [w.trackIds[0]], m: 0 })).similarityGraph;
    expect(g.nodes.filter((n: { seed: boolean }) => n.seed)).toHaveLength(1);
    expect(g.nodes.length).toBeGreaterThan(4);
    expect(Math.max(...g.nodes.map((n: { depth: number }) => n.depth))).toBe(2);
    const ids = new Set(g.nodes.map((n: { id: number }) => n.id));
    for (const e of g.edges) {
      expect(ids.has(e.source) && ids.has(e.target) && e.source < e.target).toBe(true);
    }
    expect((g.gexf.match(/<node /g) ?? []).length).toBe(g.nodes.length);
    expect((g.gexf.match(/<edge /g) ?? []).length).toBe(g.edges.length);
    expect(g.gexf).toContain(`<gexf xmlns="http://gexf.net/1.3" version="1.3">`);
    const median = [...g.edges.map((e: { score: number }) => e.score)].sort((x, y) => x - y)[Math.floor(g.edges.length / 2)];
    const strict = (await ask(q, { s: [w.trackIds[0]], m: median })).similarityGraph;
    expect(strict.edges.every((e: { score: number }) => e.score >= median)).toBe(true);
    expect(strict.edges.length).toBeLessThan(g.edges.length);
  });

  it("PCA separates the four artist clusters; UMAP gives finite points; the projector TSV has one row per vector", async () => {
    const d = await ask(`{ p: vectorProjection(model:COLLABORATIVE, method:PCA, sample:60){ explainedVariance points{ id x y } }
      u: vectorProjection(model:COLLABORATIVE, method:UMAP, sample:40, seed:3){ points{ x y } }
      e: embeddingProjectorExport(model:TEXT, sample:12){ rows dim vectorsTsv metadataTsv } }`);
    const points = d.p.points as { id: number; x: number; y: number }[];
    expect(points).toHaveLength(60);
    const [a, b] = d.p.explainedVariance;
    expect(a).toBeGreaterThanOrEqual(b);
    expect(a + b).toBeLessThanOrEqual(1 + 1e-9);
    const artistOf = (id: number) => w.trackIds.indexOf(id) % 4;
    const dist = (p: { x: number; y: number }, q: { x: number; y: number }) => Math.hypot(p.x - q.x, p.y - q.y);
    let within = 0,
      nWithin = 0,
      between = 0,
      nBetween = 0;
    for (const p of points)
      for (const q of points) {
        if (p === q) continue;
        if (artistOf(p.id) === artistOf(q.id)) {
          within += dist(p, q);
          nWithin++;
        } else {
          between += dist(p, q);
          nBetween++;
        }
      }
    expect(within / nWithin).toBeLessThan(0.5 * (between / nBetween));
    expect(d.u.points).toHaveLength(40);
    expect(d.u.points.every((p: { x: number; y: number }) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    const vectorLines = d.e.vectorsTsv.trimEnd().split("\n");
    expect(vectorLines).toHaveLength(12);
    expect(vectorLines.every((l: string) => l.split("\t").length === d.e.dim)).toBe(true);
    const meta = d.e.metadataTsv.trimEnd().split("\n");
    expect(meta[0]).toBe("id\tname\tgenre");
    expect(meta).toHaveLength(13);
  });

  it("projected points carry tempo, key, mode, cold-start status and top tag, for colouring the map", async () => {
    const q = w.t.db.query;
    await q(
      `INSERT INTO audio_analyses (track_id, status, tempo, key, mode) VALUES ($1, 'OK', 121.5, 'A', 'minor'), ($2, 'OK', 90, 'C', 'major'), ($3, 'PENDING', NULL, NULL, NULL)`,
      [w.trackIds[0], w.trackIds[1], w.trackIds[2]],
    );
    // Track 1 is streamed; track 2 only skipped, which is not a listen.
    await insertEvents(q, [
      { userId: w.userIds[3], eventId: "p1", kind: "STREAM", trackId: w.trackIds[1], occurredAt: new Date(), msPlayed: 60_000 },
      { userId: w.userIds[3], eventId: "p2", kind: "SKIP", trackId: w.trackIds[2], occurredAt: new Date() },
    ]);
    // A heavier term under an inactive TEXT version must not win.
    const stale = await insertVersion(w.t.db, "TEXT", [], false);
    await q(`INSERT INTO top_terms (model_version_id, entity_kind, entity_id, term_kind, term, weight) VALUES ($1, 'TRACK', $2, 'ADJ', 'stale', 5)`, [
      stale,
      w.trackIds[0],
    ]);
    const d = await ask(`{ vectorProjection(model:COLLABORATIVE, sample:120){ points{ id tempo key mode coldStart topTag } } }`);
    const points = d.vectorProjection.points as {
      id: number;
      tempo: number | null;
      key: string | null;
      mode: string | null;
      coldStart: boolean;
      topTag: string | null;
    }[];
    expect(points).toHaveLength(120);
    const of = (i: number) => points.find((p) => p.id === w.trackIds[i]);
    expect(of(0)).toMatchObject({ tempo: 121.5, key: "A", mode: "minor", coldStart: true, topTag: "dreamy" });
    expect(of(1)).toMatchObject({ tempo: 90, key: "C", mode: "major", coldStart: false, topTag: null });
    expect(of(2)).toMatchObject({ tempo: null, key: null, mode: null, coldStart: true, topTag: null });
    // Artist 0's other tracks have no terms of their own: they take the artist's.
    expect(of(4)).toMatchObject({ tempo: null, coldStart: true, topTag: "ambient drone" });
    expect(points.filter((p) => !p.coldStart).map((p) => p.id)).toEqual([w.trackIds[1]]);
    expect(points.filter((p) => p.tempo !== null)).toHaveLength(2);
    expect(points.filter((p) => p.topTag === "ambient drone")).toHaveLength(29);
    const artists = await ask(`{ vectorProjection(model:TEXT, sample:4, entity:ARTIST){ points{ id coldStart topTag tempo } } }`);
    const artistPoints = artists.vectorProjection.points as { id: number; coldStart: boolean; topTag: string | null; tempo: number | null }[];
    expect(artistPoints.find((p) => p.id === w.artistIds[0])).toEqual({ id: w.artistIds[0], coldStart: true, topTag: "ambient drone", tempo: null });
    expect(artistPoints.find((p) => p.id === w.artistIds[1])).toMatchObject({ coldStart: false, topTag: null });
  });

  it("the track's vectors and top terms come from the active versions", async () => {
    const d = await ask(`query($t:Int!){ track(id:$t){ vectors{ modelKind dim values } topTerms(first:1){ term termKind weight } } }`, { t: w.trackIds[0] });
    expect(d.track.vectors.map((v: { modelKind: string }) => v.modelKind).sort()).toEqual(["ALS", "TEXT"]);
    expect(d.track.vectors[0].values).toHaveLength(8);
    expect(d.track.topTerms).toEqual([{ term: "dreamy", termKind: "ADJ", weight: 0.9 }]);
    // Track 4 (artist 0's, no text of its own) shows its artist's terms, marked inherited; track 0 keeps its own.
    const e = await ask(`query($a:Int!,$b:Int!){ a: track(id:$a){ topTerms{ term inherited } } b: track(id:$b){ topTerms{ term inherited } } }`, {
      a: w.trackIds[4],
      b: w.trackIds[0],
    });
    expect(e.a.topTerms).toEqual([{ term: "ambient drone", inherited: true }]);
    expect(e.b.topTerms.map((x: { term: string; inherited: boolean }) => [x.term, x.inherited])).toEqual([
      ["dreamy", false],
      ["slow synth", false],
    ]);
  });

  it("a large catalogue is served by HNSW, which reports its recall against exact search", async () => {
    const cache = new NeighbourIndexCache(w.t.db, { exactUpTo: 50, m: 8, efConstruction: 60 });
    const served = await cache.get("COLLABORATIVE", "TRACK");
    // The exact index answers at once while the graph is built in the background.
    expect(served.index.kind).toBe("exact");
    expect(served.upgrading).not.toBeNull();
    await served.upgrading;
    expect(served.index.kind).toBe("hnsw");
    expect((await cache.get("COLLABORATIVE", "TRACK")).index.kind).toBe("hnsw");
    expect(served.recall.queries).toBeGreaterThan(0);
    expect(served.recall.recall).toBeGreaterThan(0.9);
  });

  it("a model with no active version answers MODEL_NOT_READY", async () => {
    const r = await gql(w.api.url, `query($t:Int!){ similarTracks(trackId:$t, model:AUDIO){ score } }`, { t: w.trackIds[0] }, w.keys.curator);
    expect(codesOf(r)).toEqual(["MODEL_NOT_READY"]);
  });
});
