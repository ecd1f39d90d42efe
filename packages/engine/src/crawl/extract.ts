import { createHash } from "node:crypto";
import { Readability } from "@mozilla/readability";
import { parseFeed } from "feedsmith";
import { franc } from "franc-min";
import { parseHTML } from "linkedom";

/** An article's main text below this many characters is not stored (a teaser, a tag page). */
export const MIN_ARTICLE_CHARS = 200;

export interface FeedEntry {
  url: string | null;
  title: string | null;
  publishedAt: Date | null;
  /** The entry's full text when the feed carries it (content:encoded, Atom content), else null. */
  text: string | null;
}

const FEED_TYPES = ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml", "application/feed+json"];
const HTML_TYPES = ["text/html", "application/xhtml+xml"];

export const isFeedType = (mediaType: string) => FEED_TYPES.includes(mediaType);
export const isHtmlType = (mediaType: string) => HTML_TYPES.includes(mediaType);
export const isPageOrFeed = (mediaType: string) => isFeedType(mediaType) || isHtmlType(mediaType);

/** Whether a body is a feed: its type says so, or an HTML-typed body that starts as XML with rss/feed. */
export function looksLikeFeed(mediaType: string, body: string): boolean {
  if (isFeedType(mediaType)) return true;
  return /^\s*(<\?xml[^>]*>\s*)?<(rss|feed|rdf:RDF)[\s>]/.test(body);
}

function date(value: unknown): Date | null {
  if (typeof value !== "string" || !value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Plain text of an HTML fragment (feed content), paragraphs kept as blank lines. */
export function htmlFragmentText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  for (const el of Array.from(document.querySelectorAll("p, br, li, h1, h2, h3, h4, blockquote, div"))) el.append("\n\n");
  return tidy(document.body?.textContent ?? "");
}

function tidy(text: string): string {
  return text
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n[\s]*\n */g, "\n\n")
    .replace(/ *\n */g, "\n")
    .trim();
}

/** Parses an RSS, Atom, RDF or JSON feed into entries; throws feedsmith's error for a body that is none of them. */
export function parseFeedEntries(body: string, base: string): FeedEntry[] {
  const parsed = parseFeed(body) as { format: string; feed: Record<string, unknown> };
  const feed = parsed.feed;
  const abs = (href: unknown) => {
    if (typeof href !== "string" || !href) return null;
    try {
      return new URL(href, base).href;
    } catch {
      return null;
    }
  };
  const value = (v: unknown): string | null =>
    typeof v === "string" ? v : v && typeof v === "object" && typeof (v as { value?: unknown }).value === "string" ? (v as { value: string }).value : null;
  if (parsed.format === "atom") {
    const entries = (feed.entries ?? []) as Record<string, unknown>[];
    return entries.map((e) => {
      const links = (e.links ?? []) as { href?: string; rel?: string }[];
      const link = links.find((l) => !l.rel || l.rel === "alternate") ?? links[0];
      const content = value(e.content);
      return {
        url: abs(link?.href),
        title: value(e.title),
        publishedAt: date(e.published) ?? date(e.updated),
        text: content ? htmlFragmentText(content) : null,
      };
    });
  }
  if (parsed.format === "json") {
    const items = (feed.items ?? []) as Record<string, unknown>[];
    return items.map((i) => {
      const html = value(i.content_html) ?? value(i.contentHtml);
      const plain = value(i.content_text) ?? value(i.contentText);
      return { url: abs(i.url), title: value(i.title), publishedAt: date(i.date_published ?? i.datePublished), text: html ? htmlFragmentText(html) : plain };
    });
  }
  const items = (feed.items ?? []) as Record<string, unknown>[];
  return items.map((i) => {
    const encoded = (i.content as { encoded?: string } | undefined)?.encoded;
    const dc = i.dc as { date?: string } | undefined;
    return { url: abs(i.link), title: value(i.title), publishedAt: date(i.pubDate) ?? date(dc?.date), text: encoded ? htmlFragmentText(encoded) : null };
  });
}

export interface PageArticle {
  title: string | null;
  text: string;
  publishedAt: Date | null;
}

/** The main text of an HTML page by Mozilla's Readability over linkedom, or null when it has none. */
export function extractArticle(html: string, url: string): PageArticle | null {
  const { document } = parseHTML(html);
  const published =
    date(document.querySelector('meta[property="article:published_time"]')?.getAttribute("content")) ??
    date(document.querySelector("time[datetime]")?.getAttribute("datetime"));
  // Readability resolves relative links against the document's URL; linkedom has none of its own.
  Object.defineProperty(document, "documentURI", { value: url, configurable: true });
  const article = new Readability(document).parse();
  if (!article?.content) return null;
  const text = htmlFragmentText(article.content);
  if (text.length < MIN_ARTICLE_CHARS) return null;
  return { title: article.title?.trim() || null, text, publishedAt: date(article.publishedTime) ?? published };
}

/** Same-host links of a page (an index page's articles), absolute, without fragments, in order, each once. */
export function sameHostLinks(html: string, base: string): string[] {
  const { document } = parseHTML(html);
  const baseUrl = new URL(base);
  const out = new Set<string>();
  for (const a of Array.from(document.querySelectorAll("a[href]"))) {
    try {
      const u = new URL(a.getAttribute("href") ?? "", baseUrl);
      u.hash = "";
      if (u.host === baseUrl.host && (u.protocol === "http:" || u.protocol === "https:") && u.href !== baseUrl.href) out.add(u.href);
    } catch {
      // an unparsable href is not a link to follow
    }
  }
  return [...out];
}

/** ISO 639-3 code of the text's language by franc ("und" when too short or unclear). */
export function detectLanguage(text: string): string {
  return franc(text.slice(0, 4000), { minLength: 40 });
}

/**
 * The dedup key: sha256 of the text NFKC-normalised, lower-cased, with punctuation dropped and
 * whitespace collapsed, so the same article re-published with other quotes or spacing matches.
 */
export function normalisedTextHash(text: string): string {
  const normal = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return createHash("sha256").update(normal).digest("hex");
}
