import type { Database } from "@deepcuts/db";
import { DEMO_PRESS_HOST, type DemoWorld } from "@deepcuts/demo";
import { storeArticles } from "./crawl.ts";
import type { CrawlSource } from "./sites.ts";

const SITE_NAMES: Record<CrawlSource, string> = { REVIEW: "Demo world press: reviews", BLOG: "Demo world press: roundups", NEWS: "Demo world press: news" };

/**
 * The demo world's generated articles, stored as crawled articles of three disabled seed sites
 * (one per document source, under a reserved host nothing resolves, so a scheduled crawl never
 * asks for them) through the crawler's own storing path: linked to the artists they name, as
 * mentions and text-model documents. Loading them twice changes nothing.
 */
export async function loadDemoArticles(db: Database, world: DemoWorld, onProgress: (m: string, d: number, t: number) => void = () => {}) {
  const totals = { articles: 0, mentions: 0, documents: 0 };
  for (const source of ["REVIEW", "BLOG", "NEWS"] as const) {
    const articles = world.articles.filter((a) => a.source.toUpperCase() === source);
    if (articles.length === 0) continue;
    const url = `https://${DEMO_PRESS_HOST}/${source.toLowerCase()}/`;
    await db.query(
      `INSERT INTO crawl_sites (url, name, source, allow_private, enabled) VALUES ($1, $2, $3::text::"DocumentSource", false, false)
       ON CONFLICT (url) DO NOTHING`,
      [url, SITE_NAMES[source], source],
    );
    const [site] = await db.query<{ id: number }>(`SELECT id FROM crawl_sites WHERE url = $1`, [url]);
    const report = await storeArticles(
      db,
      site.id,
      articles.map((a) => ({ url: a.url, title: a.title, publishedAt: a.publishedAt, text: a.text })),
      onProgress,
    );
    totals.articles += report.articles.created;
    totals.mentions += report.mentions;
    totals.documents += report.documents;
  }
  return totals;
}
