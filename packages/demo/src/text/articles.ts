/** Web articles about the demo artists, for the crawler's linker and co-mention similarity: as
 * music writers do, most pieces discuss several artists of one scene (a genre, now and then a kin
 * genre), and a few (festival news) put unrelated genres side by side. */
import { AliasTable, pick, streamRandom, uniformInt } from "../draw.ts";
import { padKey } from "../artists.ts";
import { DAY_MS } from "../tracks.ts";
import { genreOwnWords } from "../catalogue/genres.ts";
import type { DemoArticle, DemoGenre } from "../types.ts";
import { artistDrawsByGenre, type BaseArtist, type WritingContext } from "./documents.ts";

/** Where the demo's articles claim to come from: a reserved name (RFC 2606) nothing resolves. */
export const DEMO_PRESS_HOST = "press.demo.deepcuts.invalid";

interface ArticleContext extends WritingContext {
  everyone: AliasTable;
}

function word(ctx: ArticleContext, genreKey: string): string {
  return ctx.random() < 0.6 ? pick(genreOwnWords(genreKey), ctx.random) : pick(ctx.genreByKey.get(genreKey)!.vocabulary, ctx.random);
}

/** A sentence about one artist in an article: the genre's words and the artist's own phrases. */
function about(ctx: ArticleContext, artist: BaseArtist): string {
  const w = () => word(ctx, artist.genre);
  const r = ctx.random;
  const templates = [
    () => `${artist.name} keep finding new corners of ${w()}, and the new record is all ${w()} and ${w()}.`,
    () => `Over in ${artist.hometown}, ${artist.name} have spent the year on ${pick(artist.signaturePhrases, r)} and ${w()}.`,
    () => `The new one from ${artist.name} leans on ${w()}, with ${w()} under everything.`,
    () => `${artist.name}, together since ${artist.formedYear}, sound more ${w()} than ever.`,
    () => `If you only hear one thing this month, make it ${artist.name}: ${w()}, ${w()} and ${pick(artist.signaturePhrases, r)}.`,
  ];
  return pick(templates, r)();
}

/** Crawlers take an article from 200 characters of text (docs/crawl.md); a writer pads a short piece out. */
const MIN_ARTICLE_CHARS = 200;

function padded(ctx: ArticleContext, parts: string[], artists: BaseArtist[]): string {
  while (parts.join(" ").length < MIN_ARTICLE_CHARS) parts.push(about(ctx, pick(artists, ctx.random)));
  return parts.join(" ");
}

/** Distinct artists of a genre, popularity-weighted, leaving out those already taken. */
function drawFrom(ctx: ArticleContext, genreKey: string, taken: Set<string>): BaseArtist | null {
  for (let tries = 0; tries < 8; tries++) {
    const artist = ctx.artists[ctx.artistsOfGenre.get(genreKey)!.draw(ctx.random)];
    if (!taken.has(artist.key)) return artist;
  }
  return null;
}

/** The genre a comparison or a roundup's extra name comes from: the same mostly, else a kin genre, rarely any. */
function relatedGenre(ctx: ArticleContext, genre: DemoGenre): string {
  const r = ctx.random();
  if (r < 0.8) return genre.key;
  if (r < 0.96 && genre.neighbours.length) return pick(genre.neighbours, ctx.random);
  return pick(ctx.genres, ctx.random).key;
}

function review(ctx: ArticleContext, lead: BaseArtist): { title: string; artists: BaseArtist[]; text: string } {
  const genre = ctx.genreByKey.get(lead.genre)!;
  const taken = new Set([lead.key]);
  const compared: BaseArtist[] = [];
  for (let i = uniformInt(ctx.random, 1, 3); i > 0; i--) {
    const other = drawFrom(ctx, relatedGenre(ctx, genre), taken);
    if (other) {
      taken.add(other.key);
      compared.push(other);
    }
  }
  const parts = [about(ctx, lead), about(ctx, lead)];
  for (const other of compared) parts.push(`Fans of ${other.name} will find plenty here: ${word(ctx, lead.genre)} and ${word(ctx, other.genre)}.`);
  parts.push(about(ctx, lead));
  return { title: `${lead.name}: a ${word(ctx, lead.genre)} record reviewed`, artists: [lead, ...compared], text: padded(ctx, parts, [lead]) };
}

function roundup(ctx: ArticleContext, genre: DemoGenre): { title: string; artists: BaseArtist[]; text: string } {
  const taken = new Set<string>();
  const artists: BaseArtist[] = [];
  for (let i = uniformInt(ctx.random, 3, 6); i > 0; i--) {
    const artist = drawFrom(ctx, relatedGenre(ctx, genre), taken);
    if (artist) {
      taken.add(artist.key);
      artists.push(artist);
    }
  }
  const intro = `The best ${genre.name.toLowerCase()} of the month, from ${word(ctx, genre.key)} to ${word(ctx, genre.key)}.`;
  const text = padded(ctx, [intro, ...artists.map((a) => about(ctx, a))], artists);
  return { title: `${artists.length} ${genre.name.toLowerCase()} records to hear now`, artists, text };
}

function festival(ctx: ArticleContext): { title: string; artists: BaseArtist[]; text: string } {
  const taken = new Set<string>();
  const artists: BaseArtist[] = [];
  for (let i = uniformInt(ctx.random, 4, 6); i > 0; i--) {
    const artist = ctx.artists[ctx.everyone.draw(ctx.random)];
    if (!taken.has(artist.key)) {
      taken.add(artist.key);
      artists.push(artist);
    }
  }
  const names = artists.map((a) => a.name);
  const text =
    `The summer festival has announced its line-up: ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} will all play the main stage. ` +
    `Organisers promise three days of music in ${pick(artists, ctx.random).hometown}, with tickets on sale from Friday and a late-night tent until four in the morning.`;
  return { title: "Festival line-up announced", artists, text };
}

/**
 * About 1.6 articles per artist: a review of every artist comparing it with one to three others
 * (same genre 80%, kin 16%, any 4%), a scene roundup of three to six artists for every other
 * artist, and a cross-genre festival line-up for every twentieth, dated within the year before
 * `now`. `artistKeys` is what the writer named: the linker should find exactly those.
 */
export function buildArticles(genres: DemoGenre[], artists: BaseArtist[], seed: number, now: Date): DemoArticle[] {
  const random = streamRandom(seed, "articles");
  // Music writing reaches further down the long tail than listening does.
  const artistsOfGenre = artistDrawsByGenre(genres, artists, Math.sqrt);
  const ctx: ArticleContext = {
    random,
    genres,
    genreByKey: new Map(genres.map((g) => [g.key, g])),
    artists,
    artistsOfGenre,
    everyone: new AliasTable(
      artists.map((_, i) => i),
      artists.map((a) => a.popularity),
    ),
  };
  const drafts: { kind: "review" | "roundup" | "festival"; piece: { title: string; artists: BaseArtist[]; text: string } }[] = [];
  for (const artist of artists) drafts.push({ kind: "review", piece: review(ctx, artist) });
  // Roundups follow the catalogue: a genre with more artists is written about more.
  for (let i = 0; i < artists.length; i++) drafts.push({ kind: "roundup", piece: roundup(ctx, ctx.genreByKey.get(pick(artists, random).genre)!) });
  for (let i = 0; i < Math.floor(artists.length / 20); i++) drafts.push({ kind: "festival", piece: festival(ctx) });
  const source = { review: "review", roundup: "blog", festival: "news" } as const;
  return drafts.map(({ kind, piece }, i) => {
    const key = padKey("demo-article", i, drafts.length, 5);
    return {
      key,
      url: `https://${DEMO_PRESS_HOST}/${kind}/${key}`,
      title: piece.title,
      source: source[kind],
      publishedAt: new Date(now.getTime() - Math.floor(random() * 365 * DAY_MS)),
      text: piece.text,
      artistKeys: piece.artists.map((a) => a.key),
    };
  });
}
