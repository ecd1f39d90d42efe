import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crawlSites } from "@deepcuts/engine/crawl/crawl.ts";
import { addCrawlSite } from "@deepcuts/engine/crawl/sites.ts";
import { upsertArtists } from "@deepcuts/engine/ingest.ts";
import { artistTerms, resolveArtist } from "@deepcuts/engine/text-terms.ts";
import { trainText } from "@deepcuts/engine/training/text.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();

// Two reviews: one of a dub record (Kingston Lions, with Island Roots co-mentioned), one of a disco record (Mirror Ball).
const ARTICLES = [
  {
    path: "/dub",
    title: "Kingston Lions go deeper",
    text: [
      "Kingston Lions made a roots reggae album of heavy bass lines, offbeat guitar skank and tape echo, recorded live in one room in Kingston.",
      "Like Island Roots before them, they let the dub versions run long: the bass lines stretch into echo and the melodica floats above the skank.",
    ],
  },
  {
    path: "/disco",
    title: "Mirror Ball on the dance floor",
    text: [
      "Mirror Ball made a disco record of string sections, four on the floor drums and perky choruses for the dance floor.",
      "The string sections swell at every chorus and the bass walks up and down the octave, disco at its most lush and generous.",
    ],
  },
];

describe.each<Target>(["embedded", "postgres"])("crawled articles reach the text model on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let server: Server;

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    let origin = "";
    server = createServer((req, res) => {
      if (req.url !== "/feed.xml") return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/atom+xml" });
      res.end(
        `<feed xmlns="http://www.w3.org/2005/Atom"><title>Reviews</title><id>r</id><updated>2026-11-20T00:00:00Z</updated>${ARTICLES.map(
          (a) =>
            `<entry><id>${a.path}</id><title>${a.title}</title><updated>2026-11-20T00:00:00Z</updated><link href="${origin}${a.path}"/>
         <content type="html"><![CDATA[${a.text.map((p) => `<p>${p}</p>`).join("")}]]></content></entry>`,
        ).join("")}</feed>`,
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await upsertArtists(
      t.db.query,
      ["Kingston Lions", "Island Roots", "Mirror Ball"].map((name) => ({ externalKey: name, name })),
    );
    await addCrawlSite(t.db, { url: `${origin}/feed.xml`, source: "REVIEW", allowPrivate: true });
    const report = await crawlSites(t.db, { minDelayMs: 0 });
    expect(report.documents).toBe(3);
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r) ?? r(null));
    await t?.drop();
  });

  it.skipIf(skip)("trains each mentioned artist's top terms from the articles about it", async () => {
    await trainText(t.db);
    const words = async (name: string) => {
      const terms = await artistTerms(t.db, await resolveArtist(t.db, name), { limit: 30, similar: 0 });
      return [...terms.terms.N2, ...terms.terms.NP].map((x) => x.term).join(" | ");
    };
    expect(await words("Kingston Lions")).toMatch(/bass lines|roots reggae|dub versions/);
    expect(await words("Island Roots")).toMatch(/bass lines|roots reggae|dub versions/);
    expect(await words("Mirror Ball")).toMatch(/string sections|dance floor|four on the floor/);
    expect(await words("Mirror Ball")).not.toMatch(/reggae/);
  });
});
