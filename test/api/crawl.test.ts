import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();
const SITES = `query { crawlSites { id url name source allowPrivate articles lastCrawledAt } }`;
const ADD = `mutation($url:String!,$name:String,$source:CrawlSource,$p:Boolean){ addCrawlSite(url:$url, name:$name, source:$source, allowPrivate:$p){ id url name source allowPrivate } }`;
const REMOVE = `mutation($id:Int!){ removeCrawlSite(id:$id){ id } }`;
const START = `mutation($s:Int){ startCrawl(siteId:$s){ id kind status } }`;

const ARTICLE = [
  "A long night of slow music: the quiet songs came first, then a drone that filled the hall for ten minutes.",
  "Nobody talked, nobody hurried, and the encore was a single song that lasted until the lights came up.",
]
  .map((p) => `<p>${p}</p>`)
  .join("");

describe.each<Target>(["embedded", "postgres"])("crawl sites through the API on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  let server: Server;
  let origin: string;
  useApiWorld(target, skip, (world) => (w = world));

  beforeAll(async () => {
    if (skip) return;
    server = createServer((req, res) => {
      if (req.url !== "/feed.xml") return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><item><title>Live</title>
        <link>${origin}/live</link><content:encoded><![CDATA[${ARTICLE}]]></content:encoded></item></channel></rss>`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r) ?? r(null));
  });

  it.skipIf(skip)(`lets curators manage the seed sites and start a crawl, with clear errors ${skip ? skipPostgres : ""}`, async () => {
    expect(codesOf(await gql(w.api.url, SITES, {}, w.keys.listener))).toEqual(["FORBIDDEN"]);
    const bad = await gql(w.api.url, ADD, { url: "gopher://example.org/" }, w.keys.curator);
    expect(codesOf(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.body.errors![0].message).toContain("url: only http and https are crawled, got gopher:");
    const added = await gql(w.api.url, ADD, { url: `${origin}/feed.xml`, name: "Local", source: "NEWS", p: true }, w.keys.curator);
    expect(codesOf(added)).toEqual([]);
    const site = added.body.data!.addCrawlSite as { id: number };
    expect(added.body.data!.addCrawlSite).toMatchObject({ url: `${origin}/feed.xml`, name: "Local", source: "NEWS", allowPrivate: true });

    const started = await gql(w.api.url, START, { s: site.id }, w.keys.curator);
    expect(codesOf(started)).toEqual([]);
    expect(started.body.data!.startCrawl).toMatchObject({ kind: "CRAWL" });
    const jobId = (started.body.data!.startCrawl as { id: string }).id;
    let status = "";
    for (let i = 0; i < 300 && status !== "SUCCEEDED" && status !== "FAILED"; i++) {
      const r = await gql(w.api.url, `query($id:ID!){ node(id:$id){ ... on Job { status } } }`, { id: jobId }, w.keys.curator);
      status = (r.body.data?.node as { status?: string } | null)?.status ?? "";
      if (status !== "SUCCEEDED") await new Promise((res) => setTimeout(res, 100));
    }
    expect(status).toBe("SUCCEEDED");
    const listed = await gql(w.api.url, SITES, {}, w.keys.curator);
    expect(listed.body.data!.crawlSites).toEqual([expect.objectContaining({ id: site.id, articles: 1, lastCrawledAt: expect.any(String) })]);
    const source = await w.t.db.query<{ source: string }>(`SELECT source::text AS source FROM crawl_articles`);
    expect(source).toEqual([{ source: "NEWS" }]);

    expect(codesOf(await gql(w.api.url, REMOVE, { id: site.id }, w.keys.curator))).toEqual([]);
    expect(codesOf(await gql(w.api.url, REMOVE, { id: site.id }, w.keys.curator))).toEqual(["NOT_FOUND"]);
  });

  it.skipIf(skip)(`answers co-mentioned artists with explanations, and refuses bad arguments ${skip ? skipPostgres : ""}`, async () => {
    const [a, b] = w.artistIds;
    const [{ id: siteId }] = await w.t.db.query<{ id: number }>(`INSERT INTO crawl_sites (url, name) VALUES ('http://example.net/feed', 'n') RETURNING id`);
    for (let i = 0; i < 2; i++) {
      const [{ id }] = await w.t.db.query<{ id: number }>(
        `INSERT INTO crawl_articles (site_id, url, source, language, text_hash, text) VALUES ($1, $2, 'BLOG', 'eng', $3, 't') RETURNING id`,
        [siteId, `http://example.net/${i}`, `co-${i}`],
      );
      await w.t.db.query(`INSERT INTO article_mentions (article_id, artist_id, count) VALUES ($1, $2, 1), ($1, $3, 1)`, [id, a, b]);
    }
    const CO = `query($a:Int!,$f:Int){ coMentionedArtists(artistId:$a, first:$f){ artist { name } articles score explanation } }`;
    const found = await gql(w.api.url, CO, { a }, w.keys.curator);
    expect(codesOf(found)).toEqual([]);
    const [row] = found.body.data!.coMentionedArtists as { artist: { name: string }; articles: number; score: number; explanation: string }[];
    expect(row).toMatchObject({ articles: 2, score: 1, explanation: `written about with ${row.artist.name} in 2 articles` });
    expect(codesOf(await gql(w.api.url, CO, { a, f: 0 }, w.keys.curator))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await gql(w.api.url, CO, { a: 999_999 }, w.keys.curator))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await gql(w.api.url, CO, { a }, w.keys.listener))).toEqual(["FORBIDDEN"]);
  });
});
