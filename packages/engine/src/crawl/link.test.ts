import { describe, expect, it } from "vitest";
import { detectLanguage, extractArticle, normalisedTextHash, parseFeedEntries } from "./extract.ts";
import { ArtistLinker } from "./link.ts";

const ARTISTS = [
  { id: 1, name: "Yes" },
  { id: 2, name: "Low" },
  { id: 3, name: "Air" },
  { id: 4, name: "Radiohead" },
  { id: 5, name: "The Chemical Brothers" },
  { id: 6, name: "Sigur Rós" },
  { id: 7, name: "Aphex Twin", aliases: ["AFX"] },
  { id: 8, name: "Burial" },
];
const linker = new ArtistLinker(ARTISTS);
const ids = (text: string) =>
  linker
    .link(text)
    .map((m) => m.artistId)
    .sort((a, b) => a - b);

describe("entity linking", () => {
  it("finds unambiguous names with word boundaries, folded diacritics, 'The' dropped and aliases", () => {
    expect(ids("I saw Radiohead and Chemical Brothers, then Sigur Ros played. AFX closed.")).toEqual([4, 5, 6, 7]);
    expect(ids("Radioheads is not a band name; neither is Radiohead2.")).toEqual([]);
    expect(linker.link("Radiohead, Radiohead and RADIOHEAD.")).toEqual([{ artistId: 4, count: 3, ambiguous: false }]);
  });

  it("needs context for names that are ordinary words", () => {
    // Plain English: no links.
    expect(ids("Yes, the air was low and cold. We said yes to the burial of the plan.")).toEqual([]);
    // Lower case never links an ambiguous name, even with a cue.
    expect(ids("The band played low notes on their new album.")).toEqual([]);
    // A band cue near the name.
    expect(ids("The band Low released a new album in March.")).toEqual([2]);
    expect(ids("We listened to the new Air record all night.")).toEqual([3]);
    // A genre word in the same sentence.
    expect(ids("Nobody makes slowcore like Low.")).toEqual([2]);
    // A co-mentioned unambiguous artist.
    expect(ids("Tonight we compare Radiohead with Burial.")).toEqual([4, 8]);
  });

  it("does not take a sentence-initial ordinary word for a band without a cue", () => {
    expect(ids("Yes, I like Radiohead.")).toEqual([4]);
    expect(ids("Yes released their fifth album, Close to the Edge, in 1972.")).toEqual([1]);
    expect(ids("Burial returns with a record of rain-soaked garage.")).toEqual([8]);
    expect(ids("Burial plans were made for the old king.")).toEqual([]);
  });
});

describe("extraction", () => {
  it("reads RSS entries with full content and Atom entries", () => {
    const rss = `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
      <item><title>A</title><link>/a</link><pubDate>Mon, 01 Dec 2025 10:00:00 GMT</pubDate><description>teaser</description>
      <content:encoded>&lt;p&gt;Full text.&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</content:encoded></item></channel></rss>`;
    const [entry] = parseFeedEntries(rss, "http://example.org/feed.xml");
    expect(entry).toEqual({ url: "http://example.org/a", title: "A", publishedAt: new Date("2025-12-01T10:00:00Z"), text: "Full text.\n\nSecond paragraph." });
  });

  it("keeps an article's main text and drops the page furniture", () => {
    const paragraphs = Array.from(
      { length: 6 },
      (_, i) => `<p>Paragraph ${i} of a long review about the record, its songs and the way the band plays them live on stage.</p>`,
    ).join("");
    const html = `<html><head><title>Review</title><meta property="article:published_time" content="2025-11-02T08:00:00Z"></head>
      <body><nav><a href="/">Home</a> <a href="/about">About us</a></nav><article><h1>Review</h1>${paragraphs}</article>
      <footer>Copyright footer text</footer></body></html>`;
    const article = extractArticle(html, "http://example.org/review")!;
    expect(article.text).toContain("Paragraph 5 of a long review");
    expect(article.text).not.toContain("About us");
    expect(article.text).not.toContain("Copyright footer");
    expect(article.publishedAt).toEqual(new Date("2025-11-02T08:00:00Z"));
  });

  it("detects the language and hashes normalised text", () => {
    expect(detectLanguage("The band released a new album last week and it is the best record they have ever made, with long songs.")).toBe("eng");
    expect(detectLanguage("Die Band hat letzte Woche ein neues Album veröffentlicht, und es ist die beste Platte, die sie je gemacht haben.")).toBe("deu");
    expect(normalisedTextHash("Hello,  “World”!")).toBe(normalisedTextHash("hello world"));
    expect(normalisedTextHash("hello world")).not.toBe(normalisedTextHash("hello worlds"));
  });
});
