import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local web of music writing for the crawler tests: a feed (with ETag and Last-Modified),
 * articles, a robots.txt that forbids /private/ and asks for a crawl delay, a slow page, a redirect
 * loop, a working redirect, a 20 MB page, a PDF, a duplicate and a German article.
 */
export interface FixtureSite {
  origin: string;
  /** Every request in arrival order: path, arrival time, conditional headers. */
  requests: { path: string; at: number; ifNoneMatch?: string; ifModifiedSince?: string }[];
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** 200 responses with a body, by path. */
  bodiesSent: Map<string, number>;
  /** Adds a feed entry (the feed's ETag changes). */
  publish(entry: { path: string; title: string; html: string }): void;
  close(): Promise<void>;
}

export const CRAWL_DELAY_S = 0.2;

const para = (s: string) => `<p>${s}</p>`;

export const REVIEW_TEXT = [
  "Burial returns with a record of rain-soaked garage and crackling vinyl hiss, and it is the most patient music he has made.",
  "The tracks drift for ten minutes at a time, pitched vocals surfacing and sinking under sub bass.",
  "Where the early records were about night buses, this one is about the hour before dawn, when the city is almost quiet.",
  "Fans of Air will find the same warm electronic melancholy here, slowed to a crawl and buried in tape.",
];

const FULL_TEXT = [
  "Radiohead played their first show in years last night, and the set list leaned on the quieter songs.",
  "The band Low opened with a long drone that made the room hold its breath before the first chord.",
  "It was a night for slow music: nobody hurried, nobody talked, and the encore was a single song that lasted twelve minutes.",
]
  .map(para)
  .join("");

const GERMAN_TEXT = [
  "Radiohead haben gestern Abend ihr erstes Konzert seit Jahren gespielt, und die Auswahl der Lieder war erstaunlich ruhig.",
  "Das Publikum hörte still zu, niemand redete, und die Zugabe dauerte zwölf Minuten, bevor das Licht wieder anging.",
]
  .map(para)
  .join("");

function page(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title><meta property="article:published_time" content="2026-11-20T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav><main><article><h1>${title}</h1>${body}</article></main>
<footer>Subscribe to our newsletter. All rights reserved.</footer></body></html>`;
}

export async function startFixtureSite(): Promise<FixtureSite> {
  const entries: { path: string; title: string; html: string | null }[] = [
    { path: "/posts/live", title: "Radiohead live", html: FULL_TEXT },
    { path: "/posts/review", title: "Burial, reviewed", html: null },
    { path: "/private/draft", title: "Unpublished", html: null },
    { path: "/huge", title: "A very long page", html: null },
    { path: "/loop/a", title: "Going round", html: null },
    { path: "/files/interview.pdf", title: "Interview (PDF)", html: null },
    { path: "/slow", title: "Slow page", html: null },
    { path: "/copy", title: "Burial, reviewed (syndicated)", html: null },
    { path: "/old-review", title: "Moved", html: null },
    { path: "/de/konzert", title: "Konzert", html: null },
  ];
  let feedVersion = 1;
  const state: FixtureSite = {
    origin: "",
    requests: [],
    maxInFlight: 0,
    bodiesSent: new Map(),
    publish(entry) {
      entries.unshift({ path: entry.path, title: entry.title, html: null });
      extraPages.set(entry.path, page(entry.title, entry.html));
      feedVersion++;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const extraPages = new Map<string, string>();
  const pages = new Map<string, string>([
    ["/posts/review", page("Burial, reviewed", REVIEW_TEXT.map(para).join(""))],
    // The same text with other spacing and quotes: a duplicate by normalised hash.
    ["/copy", page("Burial, reviewed", REVIEW_TEXT.map((s) => para(`  ${s.replace(/,/g, " ,")}  `)).join(""))],
    [
      "/posts/moved-review",
      page(
        "Burial again",
        REVIEW_TEXT.slice(0, 3)
          .map((s) => para(s.replace("Burial", "Burial, again,")))
          .join("") + para("Moved here from the old address."),
      ),
    ],
    ["/de/konzert", page("Konzert", GERMAN_TEXT)],
  ]);
  let inFlight = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    state.requests.push({ path, at: Date.now(), ifNoneMatch: req.headers["if-none-match"], ifModifiedSince: req.headers["if-modified-since"] });
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      if (status === 200) state.bodiesSent.set(path, (state.bodiesSent.get(path) ?? 0) + 1);
      res.writeHead(status, { "content-type": type, ...headers });
      res.end(body);
    };
    const conditional = (etag: string, body: string, type: string) => {
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag });
        return res.end();
      }
      send(200, type, body, { etag, "last-modified": "Thu, 20 Nov 2026 09:00:00 GMT" });
    };
    if (path === "/robots.txt") return send(200, "text/plain", `User-agent: *\nDisallow: /private/\nCrawl-delay: ${CRAWL_DELAY_S}\n`);
    if (path === "/feed.xml") {
      const items = entries
        .map(
          (e) => `<item><title>${e.title}</title><link>${state.origin}${e.path}</link><pubDate>Thu, 20 Nov 2026 09:00:00 GMT</pubDate>
        <description>A teaser.</description>${e.html ? `<content:encoded><![CDATA[${e.html}]]></content:encoded>` : ""}</item>`,
        )
        .join("");
      return conditional(
        `"feed-${feedVersion}"`,
        `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Fixture</title>${items}</channel></rss>`,
        "application/rss+xml",
      );
    }
    if (path === "/huge") {
      // 20 MB, chunked (no Content-Length): the crawler must stop reading at its limit.
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      const pump = () => {
        while (sent < 20 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => {});
      return pump();
    }
    if (path === "/loop/a") return send(302, "text/plain", "", { location: "/loop/b" });
    if (path === "/loop/b") return send(302, "text/plain", "", { location: "/loop/a" });
    if (path === "/old-review") return send(301, "text/plain", "", { location: "/posts/moved-review" });
    if (path === "/files/interview.pdf") return send(200, "application/pdf", "%PDF-1.4 not really");
    if (path === "/slow")
      return void setTimeout(() => {
        if (!res.destroyed) send(200, "text/html", page("Slow", para("late")));
      }, 3000);
    const html = pages.get(path) ?? extraPages.get(path);
    if (html) return conditional(`"${path}-1"`, html, "text/html; charset=utf-8");
    send(404, "text/plain", "not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
