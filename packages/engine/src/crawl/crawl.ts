import type { Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { insertDocuments, type DocumentRow } from "../ingest.ts";
import {
  detectLanguage,
  extractArticle,
  isHtmlType,
  isPageOrFeed,
  looksLikeFeed,
  MIN_ARTICLE_CHARS,
  normalisedTextHash,
  parseFeedEntries,
  sameHostLinks,
} from "./extract.ts";
import { ArtistLinker, type Mention } from "./link.ts";
import { PoliteFetcher, type PoliteOptions, type PoliteResult } from "./polite-fetcher.ts";
import type { CrawlSource } from "./sites.ts";

export interface CrawlOptions extends PoliteOptions {
  /** Only these sites (default every enabled one). */
  siteIds?: number[];
  /** Articles followed per site and crawl (feed entries or index links; default 50). */
  maxPagesPerSite?: number;
  /** Sites crawled at once (default 4); one request per host at a time whatever this is. */
  concurrency?: number;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface CrawlReport {
  sites: number;
  requests: { fetched: number; notModified: number; skipped: number };
  /** Every URL not taken, with why (robots.txt, too large, not HTML, private address...). */
  skipped: { url: string; reason: string }[];
  articles: { created: number; updated: number; unchanged: number; duplicates: number; tooShort: number };
  mentions: number;
  /** Documents added for the text model (one per English article and mentioned artist). */
  documents: number;
  seconds: number;
}

interface SiteRow {
  id: number;
  url: string;
  name: string;
  source: CrawlSource;
  allowPrivate: boolean;
}

interface Candidate {
  url: string;
  title: string | null;
  publishedAt: Date | null;
  text: string;
}

/**
 * Crawls the seed sites: a feed's entries (their full text when the feed carries it, else their
 * pages) or an HTML page's same-host links; each page's main text is extracted, its language
 * detected, stored once per normalised text, linked to the catalogue artists it mentions, and
 * fed to the text model as a document of each (English articles only: the term extractor is English).
 */
export async function crawlSites(db: Database, options: CrawlOptions = {}): Promise<CrawlReport> {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => {});
  const sites = await db.query<SiteRow>(
    `SELECT id, url, name, source::text AS source, allow_private AS "allowPrivate" FROM crawl_sites
     WHERE enabled AND ($1::int[] IS NULL OR id = ANY($1::int[])) ORDER BY id`,
    [options.siteIds ?? null],
  );
  const report = emptyReport(sites.length);
  const fetcher = new PoliteFetcher(options);
  const linker = await loadLinker(db);
  let done = 0;
  onProgress("crawling", 0, sites.length);
  const queue = [...sites];
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, sites.length)) }, async () => {
    for (let site = queue.shift(); site; site = queue.shift()) {
      if (options.signal?.aborted) throw new CancelledError("crawl");
      await crawlSite(db, site, fetcher, linker, report, options);
      await db.query(`UPDATE crawl_sites SET last_crawled_at = now() WHERE id = $1`, [site.id]);
      onProgress(`crawled ${site.name}`, ++done, sites.length);
    }
  });
  await Promise.all(workers);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function emptyReport(sites: number): CrawlReport {
  return {
    sites,
    requests: { fetched: 0, notModified: 0, skipped: 0 },
    skipped: [],
    articles: { created: 0, updated: 0, unchanged: 0, duplicates: 0, tooShort: 0 },
    mentions: 0,
    documents: 0,
    seconds: 0,
  };
}

/** An article that reached the database by another way than HTTP (the demo world's press). */
export interface LoadedArticle {
  url: string;
  title: string | null;
  publishedAt: Date | null;
  text: string;
}

/**
 * Stores articles of one site that were not fetched (the demo world's generated press) through
 * the crawl's own path: the same length rule, text hash and dedup, language detection, entity
 * linking, mentions and text-model documents as a crawled article. Nothing is requested.
 */
export async function storeArticles(
  db: Database,
  siteId: number,
  articles: LoadedArticle[],
  onProgress: (message: string, done: number, total: number) => void = () => {},
): Promise<CrawlReport> {
  const started = Date.now();
  const [site] = await db.query<SiteRow>(`SELECT id, url, name, source::text AS source, allow_private AS "allowPrivate" FROM crawl_sites WHERE id = $1`, [
    siteId,
  ]);
  if (!site) throw new Error(`crawl site ${siteId} does not exist`);
  const report = emptyReport(1);
  const linker = await loadLinker(db);
  for (const [i, article] of articles.entries()) {
    if (article.text.length < MIN_ARTICLE_CHARS) report.articles.tooShort++;
    else await storeArticle(db, site, article, linker, report);
    if (i % 50 === 0) onProgress(`articles of ${site.name}`, i, articles.length);
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** The linker over the whole catalogue: artist names and their aliases. */
export async function loadLinker(db: Database): Promise<ArtistLinker> {
  const rows = await db.query<{ id: number; name: string; aliases: string[] | null }>(
    `SELECT a.id, a.name, array_agg(al.alias) FILTER (WHERE al.alias IS NOT NULL) AS aliases
     FROM artists a LEFT JOIN artist_aliases al ON al.artist_id = a.id GROUP BY a.id ORDER BY a.id`,
  );
  return new ArtistLinker(rows.map((r) => ({ id: r.id, name: r.name, aliases: r.aliases ?? [] })));
}

async function crawlSite(db: Database, site: SiteRow, fetcher: PoliteFetcher, linker: ArtistLinker, report: CrawlReport, options: CrawlOptions) {
  const limit = options.maxPagesPerSite ?? 50;
  const seed = await fetchTracked(db, site, site.url, fetcher, isPageOrFeed, report);
  if (seed?.kind !== "fetched") return;
  const body = seed.body.toString("utf8");
  const pages: string[] = [];
  if (looksLikeFeed(seed.mediaType, body)) {
    let entries;
    try {
      entries = parseFeedEntries(body, seed.url);
    } catch (error) {
      skip(report, site.url, `not a readable feed: ${(error as Error).message}`);
      return;
    }
    for (const entry of entries.slice(0, limit)) {
      if (entry.text && entry.text.length >= MIN_ARTICLE_CHARS && entry.url) {
        await storeArticle(db, site, { url: entry.url, title: entry.title, publishedAt: entry.publishedAt, text: entry.text }, linker, report);
      } else if (entry.url) {
        pages.push(entry.url);
      }
    }
  } else {
    pages.push(...sameHostLinks(body, seed.url).slice(0, limit));
  }
  // All at once: the fetcher keeps one request per host in flight and the host's delay between them.
  await Promise.all(
    pages.map(async (url) => {
      if (options.signal?.aborted) return;
      const page = await fetchTracked(db, site, url, fetcher, isHtmlType, report);
      if (page?.kind !== "fetched") return;
      const article = extractArticle(page.body.toString("utf8"), page.url);
      if (!article) {
        report.articles.tooShort++;
        return;
      }
      await storeArticle(db, site, { url: page.url, ...article }, linker, report);
    }),
  );
  if (options.signal?.aborted) throw new CancelledError("crawl");
}

function skip(report: CrawlReport, url: string, reason: string) {
  report.skipped.push({ url, reason });
}

/** Fetches with the validators stored for the URL and records what happened to it. */
async function fetchTracked(
  db: Database,
  site: SiteRow,
  url: string,
  fetcher: PoliteFetcher,
  accept: (t: string) => boolean,
  report: CrawlReport,
): Promise<PoliteResult | null> {
  const [known] = await db.query<{ etag: string | null; lastModified: string | null }>(
    `SELECT etag, last_modified AS "lastModified" FROM crawl_pages WHERE url = $1`,
    [url],
  );
  const result = await fetcher.fetch(url, { allowPrivate: site.allowPrivate, validators: known, accept });
  const outcome = result.kind;
  if (outcome === "fetched") report.requests.fetched++;
  else if (outcome === "not-modified") report.requests.notModified++;
  else {
    report.requests.skipped++;
    skip(report, url, result.reason);
  }
  await db.query(
    `INSERT INTO crawl_pages (site_id, url, etag, last_modified, outcome, reason, http_status, fetched_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (url) DO UPDATE SET outcome = $5, reason = $6, http_status = $7, fetched_at = now(),
       etag = CASE WHEN $5 = 'fetched' THEN $3 ELSE crawl_pages.etag END,
       last_modified = CASE WHEN $5 = 'fetched' THEN $4 ELSE crawl_pages.last_modified END`,
    [
      site.id,
      url,
      result.kind === "fetched" ? result.etag : null,
      result.kind === "fetched" ? result.lastModified : null,
      outcome,
      result.kind === "skipped" ? result.reason : null,
      result.status,
    ],
  );
  return result;
}

/**
 * Stores one article: new, or an edit of the one at its URL (its mentions and documents replaced),
 * or nothing when its URL already holds the same text or another URL holds it (a duplicate).
 */
async function storeArticle(db: Database, site: SiteRow, article: Candidate, linker: ArtistLinker, report: CrawlReport) {
  const hash = normalisedTextHash(article.text);
  const language = detectLanguage(article.text);
  const mentions = linker.link(`${article.title ?? ""}\n\n${article.text}`);
  try {
    await writeArticle(db, site, article, hash, language, mentions, report);
  } catch (error) {
    // Two pages with one text stored at once: the second loses on the unique hash.
    if ((error as { code?: string }).code !== "23505") throw error;
    report.articles.duplicates++;
    skip(report, article.url, "duplicate of an article stored at the same time");
  }
}

async function writeArticle(db: Database, site: SiteRow, article: Candidate, hash: string, language: string, mentions: Mention[], report: CrawlReport) {
  await db.transaction(async (query) => {
    const [atUrl] = await query<{ id: number; textHash: string }>(`SELECT id, text_hash AS "textHash" FROM crawl_articles WHERE url = $1 FOR UPDATE`, [
      article.url,
    ]);
    if (atUrl?.textHash === hash) {
      report.articles.unchanged++;
      return;
    }
    const [twin] = await query<{ url: string }>(`SELECT url FROM crawl_articles WHERE text_hash = $1`, [hash]);
    if (twin) {
      report.articles.duplicates++;
      skip(report, article.url, `duplicate of ${twin.url}`);
      return;
    }
    let id: number;
    if (atUrl) {
      id = atUrl.id;
      await query(`UPDATE crawl_articles SET title = $2, text = $3, text_hash = $4, language = $5, published_at = $6 WHERE id = $1`, [
        id,
        article.title,
        article.text,
        hash,
        language,
        article.publishedAt,
      ]);
      await query(`DELETE FROM article_mentions WHERE article_id = $1`, [id]);
      await query(`DELETE FROM documents WHERE external_key LIKE $1`, [`crawl:${id}:%`]);
      report.articles.updated++;
    } else {
      [{ id }] = await query<{ id: number }>(
        `INSERT INTO crawl_articles (site_id, url, title, source, language, published_at, text_hash, text)
         VALUES ($1, $2, $3, $4::text::"DocumentSource", $5, $6, $7, $8) RETURNING id`,
        [site.id, article.url, article.title, site.source, language, article.publishedAt, hash, article.text],
      );
      report.articles.created++;
    }
    if (mentions.length === 0) return;
    await query(`INSERT INTO article_mentions (article_id, artist_id, count) SELECT $1, * FROM unnest($2::int[], $3::int[])`, [
      id,
      mentions.map((m) => m.artistId),
      mentions.map((m) => m.count),
    ]);
    report.mentions += mentions.length;
    if (language !== "eng") return;
    const text = article.title ? `${article.title}\n\n${article.text}` : article.text;
    const docs: DocumentRow[] = mentions.map((m) => ({
      externalKey: `crawl:${id}:${hash.slice(0, 12)}:artist:${m.artistId}`,
      entityKind: "ARTIST",
      artistId: m.artistId,
      source: site.source,
      text,
    }));
    report.documents += await insertDocuments(query, docs);
  });
}
