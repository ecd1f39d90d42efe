import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchChromium, screenshot } from "./browser.ts";
import { startDemoStack, type DemoStack } from "./demo-stack.ts";

const title = chromiumMissing ? `dashboard Crawl page in Chromium (skipped: ${chromiumMissing})` : "dashboard Crawl page in Chromium";

/** A one-feed music site on loopback: an Atom feed whose two entries carry their full text. */
function feedSite(names: [string, string, string]): Promise<{ url: string; server: Server }> {
  const [a, b, c] = names;
  const entry = (id: number, title: string, text: string) =>
    `<entry><id>urn:test:${id}</id><title>${title}</title><link href="/posts/${id}"/><updated>2026-11-0${id}T10:00:00Z</updated>` +
    `<content type="html">&lt;p&gt;${text}&lt;/p&gt;</content></entry>`;
  const feed =
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Test press</title><id>urn:test</id><updated>2026-11-02T10:00:00Z</updated>` +
    entry(
      1,
      `${a} and ${b} on tour`,
      `${a} and ${b} are touring together this winter, and both bands have new records out. The pairing makes sense: they share a producer, a label and a taste for long, patient songs that build slowly.`,
    ) +
    entry(
      2,
      `${a} meets ${c}`,
      `On the new split single ${a} trades verses with ${c}, and the result is warmer than anything either has released alone. The second side is a remix that stretches the chorus into eight minutes of echo.`,
    ) +
    `</feed>`;
  const server = createServer((req, res) => {
    if (req.url === "/feed.xml") res.writeHead(200, { "content-type": "application/atom+xml" }).end(feed);
    else res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`, server })),
  );
}

describe.skipIf(chromiumMissing !== null)(title, () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let site: { url: string; server: Server };

  async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(stack.api.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${stack.curatorKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors[0].message);
    return body.data;
  }

  beforeAll(async () => {
    stack = await startDemoStack();
    const names = stack.world.artists.slice(0, 3).map((a) => a.name) as [string, string, string];
    site = await feedSite(names);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${stack.dashboard.url}/sign-in`);
    await page.fill("#key", stack.curatorKey);
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.click("button[type=submit]")]);
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    site?.server.close();
    await stack?.stop();
  });

  it("lists the seed sites with their article counts, the demo world's press among them", async () => {
    await page.goto(`${stack.dashboard.url}/crawl`);
    const { crawlSites } = await api<{ crawlSites: { id: number; url: string; articles: number; enabled: boolean }[] }>(
      `{ crawlSites { id url articles enabled } }`,
    );
    expect(crawlSites).toHaveLength(3);
    expect(crawlSites.reduce((s, c) => s + c.articles, 0)).toBe(stack.world.articles.length);
    const rows = await page.$$eval("[data-testid=crawl-site]", (trs) =>
      trs.map((tr) => [tr.getAttribute("data-url"), tr.querySelector("td.num")?.textContent]),
    );
    expect(rows).toEqual(crawlSites.map((c) => [c.url, String(c.articles)]));
    // The demo's press is disabled (nothing to fetch): no crawl button for it, nor for "every enabled site".
    expect(await page.isDisabled("[data-testid=crawl-all]")).toBe(true);
    await screenshot(page, "crawl");
  });

  it("adds a site with its source and allow-private, crawls it and follows the job to the end, then removes it", async () => {
    await page.goto(`${stack.dashboard.url}/crawl`);
    await page.fill("[data-testid=add-site] input[name=url]", site.url);
    await page.fill("[data-testid=add-site] input[name=name]", "Test press");
    await page.selectOption("[data-testid=add-site] select[name=source]", "REVIEW");
    await page.check("[data-testid=add-site] input[name=allowPrivate]");
    await Promise.all([page.waitForURL((url) => url.searchParams.has("added")), page.click("[data-testid=add-site] button[type=submit]")]);
    const row = page.locator(`[data-testid=crawl-site][data-url="${site.url}"]`);
    expect(await row.textContent()).toContain("private addresses allowed");
    expect(await row.locator("td").nth(1).textContent()).toBe("review");

    await Promise.all([page.waitForURL((url) => url.searchParams.has("started")), row.locator("[data-testid=crawl-site-now]").click()]);
    const jobId = new URL(page.url()).searchParams.get("started")!;
    const job = page.locator(`[data-testid=jobs] tr[data-job-id="${jobId}"]`);
    expect(await job.locator("td").nth(1).textContent()).toBe("crawl");
    await expect.poll(async () => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("SUCCEEDED");
    await page.reload();
    expect(await row.locator("td.num").textContent()).toBe("2");
    const [{ articles }] = await stack.database.db.query<{ articles: number }>(
      `SELECT count(*)::int AS articles FROM crawl_articles a JOIN crawl_sites s ON s.id = a.site_id WHERE s.url = $1 AND a.source = 'REVIEW'`,
      [site.url],
    );
    expect(articles).toBe(2);

    await Promise.all([page.waitForURL((url) => url.searchParams.has("removed")), row.locator("[data-testid=remove-site]").click()]);
    expect(await page.textContent("[data-testid=crawl-message]")).toContain("Removed Test press");
    expect(await page.locator(`[data-testid=crawl-site][data-url="${site.url}"]`).count()).toBe(0);
  });

  it("says why the API refuses a site", async () => {
    await page.goto(`${stack.dashboard.url}/crawl`);
    await page.fill("[data-testid=add-site] input[name=url]", "https://user:secret@example.org/feed.xml");
    await Promise.all([page.waitForURL((url) => url.searchParams.has("error")), page.click("[data-testid=add-site] button[type=submit]")]);
    expect(await page.textContent("[data-testid=crawl-message]")).toMatch(/BAD_USER_INPUT: url: must not carry a user name or password/);
  });

  it("shows the artists written about with one artist, and its co-mention model neighbours, as the API gives them", async () => {
    const artist = stack.world.artists[0];
    await page.goto(`${stack.dashboard.url}/crawl?${new URLSearchParams({ artist: artist.name })}`);
    const id = Number(await page.getAttribute("[data-testid=co-mentions]", "data-artist-id"));
    const { coMentionedArtists, similarArtists } = await api<{
      coMentionedArtists: { explanation: string; artist: { id: number } }[];
      similarArtists: { explanation: string | null; artist: { id: number } }[];
    }>(
      `query ($id: Int!) { coMentionedArtists(artistId: $id, first: 10, minArticles: 1) { explanation artist { id: databaseId } }
         similarArtists(artistId: $id, model: CO_MENTION, first: 10) { explanation artist { id: databaseId } } }`,
      { id },
    );
    expect(coMentionedArtists.length).toBeGreaterThan(0);
    const shown = (list: string) =>
      page.$$eval(`[data-testid=${list}] li`, (lis) => lis.map((li) => [Number(li.getAttribute("data-artist-id")), li.textContent]));
    const together = await shown("co-mentioned");
    expect(together.map(([a]) => a)).toEqual(coMentionedArtists.map((m) => m.artist.id));
    together.forEach(([, text], i) => expect(text).toContain(coMentionedArtists[i].explanation));
    expect(coMentionedArtists[0].explanation).toMatch(/^written about with .+ in \d+ articles?$/);
    const neighbours = await shown("co-mention-neighbours");
    expect(neighbours.map(([a]) => a)).toEqual(similarArtists.map((m) => m.artist.id));
    neighbours.forEach(([, text], i) => expect(text).toContain(similarArtists[i].explanation));
  });
});
