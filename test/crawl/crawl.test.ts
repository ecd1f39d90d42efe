import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArtists } from "@deepcuts/engine/ingest.ts";
import { crawlSites, type CrawlReport } from "@deepcuts/engine/crawl/crawl.ts";
import { addCrawlSite, listCrawlSites, removeCrawlSite } from "@deepcuts/engine/crawl/sites.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";
import { CRAWL_DELAY_S, startFixtureSite, type FixtureSite } from "./fixture-sites.ts";

const skipPostgres = await postgresUnavailable();
const OPTIONS = { minDelayMs: 0, timeoutMs: 500, maxBytes: 1024 * 1024 };

const reasonFor = (report: CrawlReport, path: string) => report.skipped.find((s) => new URL(s.url).pathname === path)?.reason;

describe.each<Target>(["embedded", "postgres"])("crawler over a local web on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let site: FixtureSite;
  let artists: Map<string, number>;
  let first: CrawlReport;
  let firstRequests: FixtureSite["requests"];

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    site = await startFixtureSite();
    artists = await upsertArtists(
      t.db.query,
      ["Radiohead", "Low", "Air", "Burial", "Yes"].map((name) => ({ externalKey: name, name })),
    );
    await addCrawlSite(t.db, { url: `${site.origin}/feed.xml`, name: "Fixture", source: "REVIEW", allowPrivate: true });
    first = await crawlSites(t.db, OPTIONS);
    firstRequests = [...site.requests];
  });

  afterAll(async () => {
    await site?.close();
    await t?.drop();
  });

  it.skipIf(skip)("skips what it may not or should not take, each with its reason", () => {
    expect(reasonFor(first, "/private/draft")).toMatch(/disallowed by robots\.txt/);
    expect(firstRequests.some((r) => r.path.startsWith("/private/"))).toBe(false);
    expect(reasonFor(first, "/huge")).toMatch(/too large: more than 1048576 bytes/);
    expect(reasonFor(first, "/loop/a")).toMatch(/redirect loop/);
    expect(firstRequests.filter((r) => r.path.startsWith("/loop/")).length).toBeLessThanOrEqual(6);
    expect(reasonFor(first, "/files/interview.pdf")).toBe("not a page or feed (application/pdf)");
    expect(reasonFor(first, "/slow")).toBe("timed out after 500 ms");
    expect(reasonFor(first, "/copy")).toMatch(/^duplicate of .*\/posts\/review$/);
  });

  it.skipIf(skip)("stores each article once, with source, language, date and the artists it mentions", async () => {
    const rows = await t.db.query<{ url: string; source: string; language: string; published: Date | null; mentioned: string[] | null }>(
      `SELECT a.url, a.source::text AS source, a.language, a.published_at AS published,
         (SELECT array_agg(ar.name ORDER BY ar.name) FROM article_mentions m JOIN artists ar ON ar.id = m.artist_id WHERE m.article_id = a.id) AS mentioned
       FROM crawl_articles a ORDER BY a.url`,
    );
    const byPath = new Map(rows.map((r) => [new URL(r.url).pathname, r]));
    expect([...byPath.keys()].sort()).toEqual(["/de/konzert", "/posts/live", "/posts/moved-review", "/posts/review"]);
    // "The band Low": a cue; Radiohead co-mentioned too. "Air" in the review: a co-mentioned artist (Burial).
    expect(byPath.get("/posts/live")!.mentioned).toEqual(["Low", "Radiohead"]);
    expect(byPath.get("/posts/review")!.mentioned).toEqual(["Air", "Burial"]);
    expect(byPath.get("/posts/review")!).toMatchObject({ source: "REVIEW", language: "eng", published: new Date("2026-11-20T09:00:00Z") });
    expect(byPath.get("/de/konzert")!.language).toBe("deu");
    expect(first.articles).toMatchObject({ created: 4, duplicates: 1 });
  });

  it.skipIf(skip)("feeds English articles to the text model as a document of each mentioned artist", async () => {
    const docs = await t.db.query<{ name: string; n: number }>(
      `SELECT ar.name, count(*)::int AS n FROM documents d JOIN artists ar ON ar.id = d.artist_id WHERE d.external_key LIKE 'crawl:%' AND d.source = 'REVIEW' GROUP BY ar.name ORDER BY ar.name`,
    );
    // The German article mentions Radiohead but is not an English text: no document.
    expect(docs).toEqual([
      { name: "Air", n: 1 },
      { name: "Burial", n: 2 },
      { name: "Low", n: 1 },
      { name: "Radiohead", n: 1 },
    ]);
    expect(artists.get("Yes")).toBeGreaterThan(0);
  });

  it.skipIf(skip)("keeps one request per host in flight and the robots.txt crawl delay between them", () => {
    expect(site.maxInFlight).toBe(1);
    expect(firstRequests[0].path).toBe("/robots.txt");
    for (let i = 1; i < firstRequests.length; i++) {
      // Arrival to arrival: at least the delay (less 10 ms of timer granularity).
      expect(firstRequests[i].at - firstRequests[i - 1].at).toBeGreaterThanOrEqual(CRAWL_DELAY_S * 1000 - 10);
    }
  });

  it.skipIf(skip)("a second crawl fetches only what changed", async () => {
    site.publish({
      path: "/posts/new",
      title: "New Radiohead",
      html: [
        "Radiohead announced a new album today, their first in eight years, with a tour of small theatres to follow in the spring.",
        "The band recorded it in a church outside Oxford; the first single is a slow piano song with strings arranged by the guitarist.",
      ]
        .map((s) => `<p>${s}</p>`)
        .join(""),
    });
    const before = site.requests.length;
    const second = await crawlSites(t.db, OPTIONS);
    const again = site.requests.slice(before);
    expect(second.articles).toMatchObject({ created: 1, updated: 0 });
    expect(site.bodiesSent.get("/posts/review")).toBe(1);
    expect(site.bodiesSent.get("/posts/moved-review")).toBe(1);
    expect(site.bodiesSent.get("/posts/new")).toBe(1);
    expect(second.requests.notModified).toBeGreaterThanOrEqual(4);
    expect(again.find((r) => r.path === "/posts/review")?.ifNoneMatch).toBe('"/posts/review-1"');
    // The feed itself, unchanged since: a third crawl asks for it alone and stops at its 304.
    const third = await crawlSites(t.db, OPTIONS);
    expect(third.requests).toEqual({ fetched: 0, notModified: 1, skipped: 0 });
  });

  it.skipIf(skip)("refuses private and loopback addresses unless the site allows them", async () => {
    const literal = await addCrawlSite(t.db, { url: `${site.origin}/feed.xml?private=no`, name: "Loopback literal" });
    const named = await addCrawlSite(t.db, { url: `${site.origin.replace("127.0.0.1", "localhost")}/feed.xml`, name: "Loopback name" });
    const before = site.requests.length;
    const report = await crawlSites(t.db, { ...OPTIONS, siteIds: [literal.id, named.id] });
    expect(site.requests.length).toBe(before);
    expect(report.skipped).toHaveLength(2);
    for (const s of report.skipped) expect(s.reason).toMatch(/private or loopback address (127\.0\.0\.1|::1)/);
  });

  it.skipIf(skip)("manages the site list with clear errors", async () => {
    await expect(addCrawlSite(t.db, { url: "ftp://example.org/feed" })).rejects.toThrow("url: only http and https are crawled, got ftp:");
    await expect(addCrawlSite(t.db, { url: "not a url" })).rejects.toThrow('url: not an absolute URL: "not a url"');
    await expect(addCrawlSite(t.db, { url: `${site.origin}/feed.xml` })).rejects.toThrow("exists already");
    const sites = await listCrawlSites(t.db);
    expect(sites.find((s) => s.name === "Fixture")).toMatchObject({ articles: 5, source: "REVIEW", allowPrivate: true });
    const removed = await removeCrawlSite(t.db, sites.find((s) => s.name === "Loopback name")!.id);
    expect(removed.name).toBe("Loopback name");
    await expect(removeCrawlSite(t.db, removed.id)).rejects.toThrow(`no crawl site ${removed.id}`);
  });
});
