import type { Database } from "@deepcuts/db";
import { ServiceError } from "../service-error.ts";

export type CrawlSource = "BLOG" | "REVIEW" | "NEWS";
export const CRAWL_SOURCES: readonly CrawlSource[] = ["BLOG", "REVIEW", "NEWS"];

export interface CrawlSiteRow {
  id: number;
  url: string;
  name: string;
  source: CrawlSource;
  allowPrivate: boolean;
  enabled: boolean;
  createdAt: Date;
  lastCrawledAt: Date | null;
  articles: number;
}

const SELECT = `SELECT s.id, s.url, s.name, s.source::text AS source, s.allow_private AS "allowPrivate", s.enabled,
  s.created_at AS "createdAt", s.last_crawled_at AS "lastCrawledAt",
  (SELECT count(*)::int FROM crawl_articles a WHERE a.site_id = s.id) AS articles
  FROM crawl_sites s`;

export async function listCrawlSites(db: Database): Promise<CrawlSiteRow[]> {
  return db.query<CrawlSiteRow>(`${SELECT} ORDER BY s.id`);
}

/** Checks a seed URL: absolute, http(s), no credentials. Throws a ServiceError naming the argument. */
export function checkSeedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ServiceError("BAD_USER_INPUT", `url: not an absolute URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ServiceError("BAD_USER_INPUT", `url: only http and https are crawled, got ${url.protocol}`);
  if (url.username || url.password) throw new ServiceError("BAD_USER_INPUT", "url: must not carry a user name or password");
  url.hash = "";
  return url;
}

/** Adds a seed site (a feed or a page whose same-host links are articles); its URL must be new. */
export async function addCrawlSite(db: Database, input: { url: string; name?: string; source?: CrawlSource; allowPrivate?: boolean }): Promise<CrawlSiteRow> {
  const url = checkSeedUrl(input.url);
  const source = input.source ?? "BLOG";
  if (!CRAWL_SOURCES.includes(source)) throw new ServiceError("BAD_USER_INPUT", `source: must be one of ${CRAWL_SOURCES.join(", ")}, got ${source}`);
  const rows = await db.query<{ id: number }>(
    `INSERT INTO crawl_sites (url, name, source, allow_private) VALUES ($1, $2, $3::text::"DocumentSource", $4) ON CONFLICT (url) DO NOTHING RETURNING id`,
    [url.href, input.name?.trim() || url.host, source, input.allowPrivate ?? false],
  );
  if (rows.length === 0) throw new ServiceError("BAD_USER_INPUT", `url: a site with ${url.href} exists already`);
  return (await db.query<CrawlSiteRow>(`${SELECT} WHERE s.id = $1`, [rows[0].id]))[0];
}

/** Removes a site, by id or URL, with its pages and articles; the documents it fed the text model stay. */
export async function removeCrawlSite(db: Database, idOrUrl: number | string): Promise<CrawlSiteRow> {
  const [site] = await db.query<CrawlSiteRow>(`${SELECT} WHERE ${typeof idOrUrl === "number" ? "s.id = $1" : "s.url = $1"}`, [
    typeof idOrUrl === "number" ? idOrUrl : checkSeedUrl(idOrUrl).href,
  ]);
  if (!site) throw new ServiceError("NOT_FOUND", `no crawl site ${idOrUrl}`);
  await db.query(`DELETE FROM crawl_sites WHERE id = $1`, [site.id]);
  return site;
}
