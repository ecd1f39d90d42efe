import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld, type DemoWorld } from "@deepcuts/demo";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { evaluateDemoCoMention } from "@deepcuts/engine/eval/demo-co-mention.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { similarEntities } from "@deepcuts/engine/similarity/similar.ts";
import { similarityGraph } from "@deepcuts/engine/similarity/graph.ts";
import { prepareVectorExport } from "@deepcuts/engine/export/vectors.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

const NOW = new Date("2026-01-01T00:00:00Z");
const noProgress = () => ({ callback: () => {}, done: () => {} });

describe("co-mention similarity on the demo world's articles", () => {
  it("agrees with genre at least as well as the text model (test world: seed 11, 100 artists)", async () => {
    const world = generateWorld({ seed: 11, listeners: 50, artists: 100, tracks: 600, events: 1000, now: NOW });
    const r = await evaluateDemoCoMention({ world });
    // The linker finds what the writer named and nothing else (two names that differ by "The" link neither).
    expect(r.linking.precision).toBe(1);
    expect(r.linking.recall).toBeGreaterThan(0.95);
    expect(r.evaluatedArtists).toBeGreaterThanOrEqual(95);
    expect(r.coMention.genreAgreement).toBeGreaterThanOrEqual(r.text.genreAgreement);
    expect(r.coMention.genreAgreement).toBeGreaterThan(4 * r.coMention.randomAgreement);
  });
});

describe("demo articles through the crawler's storing path, as a CO_MENTION model", () => {
  let t: TestDatabase;
  let world: DemoWorld;
  let artistId: Map<string, number>;

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    world = generateWorld({ seed: 5, listeners: 40, artists: 60, tracks: 240, events: 2000, now: NOW });
    const report = await loadDemoWorld(t.db, world);
    expect(report.articles).toBe(world.articles.length);
    const rows = await t.db.query<{ id: number; external_key: string }>(`SELECT id, external_key FROM artists`);
    artistId = new Map(rows.map((r) => [r.external_key, r.id]));
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("stores each article once with the artists it names, as documents of each, and a second load adds nothing", async () => {
    const [counts] = await t.db.query<{ articles: number; sites: number; enabled: number; docs: number }>(
      `SELECT (SELECT count(*)::int FROM crawl_articles) AS articles, (SELECT count(*)::int FROM crawl_sites) AS sites,
              (SELECT count(*)::int FROM crawl_sites WHERE enabled) AS enabled,
              (SELECT count(*)::int FROM documents WHERE external_key LIKE 'crawl:%') AS docs`,
    );
    expect(counts).toEqual({ articles: world.articles.length, sites: 3, enabled: 0, docs: counts.docs });
    const mentions = await t.db.query<{ url: string; artist_id: number }>(
      `SELECT a.url, m.artist_id FROM article_mentions m JOIN crawl_articles a ON a.id = m.article_id`,
    );
    expect(counts.docs).toBe(mentions.length);
    // Every link is one the generator wrote.
    const written = new Set(world.articles.flatMap((a) => a.artistKeys.map((k) => `${a.url} ${artistId.get(k)}`)));
    expect(mentions.filter((m) => !written.has(`${m.url} ${m.artist_id}`))).toEqual([]);
    expect(mentions.length).toBeGreaterThan(0.95 * written.size);
    const again = await loadDemoWorld(t.db, world);
    expect([again.articles, again.mentions]).toEqual([0, 0]);
  });

  it("trains CO_MENTION vectors served by similarArtists, the graph and the vector export, with explanations", async () => {
    const [result] = await trainModels(t.db, ["co-mention"], { threads: 1, progress: noProgress });
    expect(result.metrics).toMatchObject({ articles: world.articles.length, dims: 8 });
    const genreOf = new Map(world.artists.map((a) => [artistId.get(a.key)!, a.genre]));
    const lead = world.articles[0];
    const seed = artistId.get(lead.artistKeys[0])!;
    const similar = await similarEntities(t.db, { entity: "ARTIST", id: seed, model: "CO_MENTION", first: 10 });
    expect(similar).toHaveLength(10);
    expect(similar.every((s) => s.scores.CO_MENTION === s.score)).toBe(true);
    const named = similar.find((s) => (s.sharedArticles ?? 0) > 0)!;
    const name = world.artists.find((a) => artistId.get(a.key) === named.id)!.name;
    expect(named.explanation).toBe(`written about with ${name} in ${named.sharedArticles} article${named.sharedArticles === 1 ? "" : "s"}`);
    // Neighbours share the seed's genre far more often than chance (1 in 11 genres).
    let agree = 0;
    const ids = [...genreOf.keys()].slice(0, 20);
    for (const id of ids) {
      const found = await similarEntities(t.db, { entity: "ARTIST", id, model: "CO_MENTION", first: 5 }).catch(() => []);
      agree += found.filter((f) => genreOf.get(f.id) === genreOf.get(id)).length / Math.max(found.length, 1);
    }
    expect(agree / ids.length).toBeGreaterThan(0.4);
    const graph = await similarityGraph(t.db, { entity: "ARTIST", seeds: [seed], model: "CO_MENTION", k: 3, depth: 1, minScore: -1, maxNodes: 10 });
    expect(graph.nodes.length).toBe(4);
    const vectors = await prepareVectorExport(t.db, { model: "co-mention", entity: "ARTIST" });
    expect(vectors.dimensions).toBe(8);
    // Tracks have no co-mention vectors: the model answers for artists only.
    await expect(similarEntities(t.db, { entity: "TRACK", id: 1, model: "CO_MENTION", first: 5 })).rejects.toThrow(
      /CO_MENTION model has no active version with TRACK vectors/,
    );
  });
});
