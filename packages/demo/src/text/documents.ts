/** Documents about artists and tracks: bios, blog posts, reviews and tag lists whose words come
 * from the genre's vocabulary (shared with kin genres), the artist's signature phrases, mentions
 * of similar artists, and noise. */
import type { Random } from "@deepcuts/models/core";
import { AliasTable, pick, streamRandom, uniformInt } from "../draw.ts";
import { padKey } from "../artists.ts";
import type { DemoArtist, DemoDocument, DemoGenre, DemoTrack } from "../types.ts";
import { genreOwnWords } from "../catalogue/genres.ts";
import { aside, footer, header } from "./noise.ts";

const NOISE_TAGS = ["seen live", "favorites", "spotify", "check out", "2019", "awesome", "my playlist", "good", "under 2000 listeners", "albums i own"];

export type BaseArtist = Omit<DemoArtist, "bio">;

/** What every generator of writing about artists draws from: the genres and the artists of each. */
export interface WritingContext {
  random: Random;
  genres: DemoGenre[];
  genreByKey: Map<string, DemoGenre>;
  artists: BaseArtist[];
  /** Weighted draw of artists within each genre, for co-mentions (documents: by popularity; articles: by its square root). */
  artistsOfGenre: Map<string, AliasTable>;
}

/** For each genre, a draw of its artists (their indexes in `artists`) weighted by `weightOf(popularity)`. */
export function artistDrawsByGenre(genres: DemoGenre[], artists: BaseArtist[], weightOf: (popularity: number) => number): Map<string, AliasTable> {
  return new Map(
    genres.map((g) => {
      const members = artists.flatMap((a, i) => (a.genre === g.key ? [i] : []));
      return [
        g.key,
        new AliasTable(
          members,
          members.map((i) => weightOf(artists[i].popularity)),
        ),
      ];
    }),
  );
}

interface TextContext extends WritingContext {
  tracksOfArtist: Map<string, DemoTrack[]>;
}

/** A phrase about this artist's genre: mostly its own words, sometimes kin words, rarely any word. */
function phrase(ctx: TextContext, artist: BaseArtist): string {
  const r = ctx.random();
  if (r < 0.15) return pick(artist.signaturePhrases, ctx.random);
  if (r < 0.6) return pick(genreOwnWords(artist.genre), ctx.random);
  if (r < 0.93) return pick(ctx.genreByKey.get(artist.genre)!.vocabulary, ctx.random);
  return pick(pick(ctx.genres, ctx.random).vocabulary, ctx.random);
}

/** An artist writers would compare this one to: same genre mostly, else a kin genre. */
function similarArtist(ctx: TextContext, artist: BaseArtist): BaseArtist {
  const genre = ctx.genreByKey.get(artist.genre)!;
  const r = ctx.random();
  const from = r < 0.75 ? genre.key : r < 0.95 ? pick(genre.neighbours, ctx.random) : pick(ctx.genres, ctx.random).key;
  for (let tries = 0; tries < 4; tries++) {
    const other = ctx.artists[ctx.artistsOfGenre.get(from)!.draw(ctx.random)];
    if (other.key !== artist.key) return other;
  }
  return pick(ctx.artists, ctx.random);
}

function sentence(ctx: TextContext, artist: BaseArtist): string {
  const p = () => phrase(ctx, artist);
  const r = ctx.random;
  const tracks = ctx.tracksOfArtist.get(artist.key) ?? [];
  const templates = [
    () => `${artist.name} return with a ${p()} record, all ${p()} and ${p()}.`,
    () => `There is something ${p()} about the way ${artist.name} handle ${p()}.`,
    () => `Fans of ${similarArtist(ctx, artist).name} will find plenty to love here: ${p()}, ${p()} and a little ${p()}.`,
    () => `Recorded in ${artist.hometown}, it leans on ${p()} and ${pick(artist.signaturePhrases, r)}.`,
    () => `The opener "${tracks.length ? pick(tracks, r).title : "Intro"}" is ${p()}, with ${p()} under everything.`,
    () => `Live, ${artist.name} turn ${p()} into something closer to ${p()}.`,
    () => `It sounds like ${p()} meeting ${p()} at three in the morning.`,
    () => `Ever since ${artist.formedYear}, they have been chasing ${p()}.`,
    () => `Think ${p()}, ${p()}, and the ${pick(artist.signaturePhrases, r)} that has become their calling card.`,
  ];
  return pick(templates, r)();
}

function body(ctx: TextContext, artist: BaseArtist, sentences: number): string {
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(ctx.random() < 0.12 ? aside(ctx.random) : sentence(ctx, artist));
  return parts.join(" ");
}

function wrap(ctx: TextContext, text: string): string {
  return [header(ctx.random), text, footer(ctx.random)].filter((s) => s.length > 0).join("\n");
}

function artistBio(ctx: TextContext, artist: BaseArtist): string {
  const genre = ctx.genreByKey.get(artist.genre)!;
  const kind = artist.name.startsWith("The ") ? "band" : pick(["project", "artist", "producer"], ctx.random);
  const a = similarArtist(ctx, artist);
  const b = similarArtist(ctx, artist);
  return (
    `${artist.name} is a ${genre.name.toLowerCase()} ${kind} from ${artist.hometown}, formed in ${artist.formedYear}. ` +
    `Their sound blends ${phrase(ctx, artist)} with ${phrase(ctx, artist)}, built around ${artist.signaturePhrases[2]}. ` +
    body(ctx, artist, uniformInt(ctx.random, 1, 3)) +
    ` They are often compared to ${a.name} and ${b.name}.`
  );
}

function tagList(ctx: TextContext, artist: BaseArtist): string {
  const genre = ctx.genreByKey.get(artist.genre)!;
  const tags = new Set<string>([genre.name.toLowerCase()]);
  const n = uniformInt(ctx.random, 3, 7);
  while (tags.size < n) tags.add(phrase(ctx, artist));
  if (ctx.random() < 0.6) tags.add(pick(NOISE_TAGS, ctx.random));
  return [...tags].join(", ");
}

function review(ctx: TextContext, artist: BaseArtist, track: DemoTrack): string {
  const rating = (4 + ctx.random() * 6).toFixed(1);
  const lead = `<b>${track.title}</b> by ${artist.name}. Rating: ${rating}/10.`;
  return wrap(ctx, `${lead} ${body(ctx, artist, uniformInt(ctx.random, 2, 4))}`);
}

export function buildDocuments(genres: DemoGenre[], artists: BaseArtist[], tracks: DemoTrack[], seed: number): { documents: DemoDocument[]; bios: string[] } {
  const tracksOfArtist = new Map<string, DemoTrack[]>();
  for (const t of tracks) {
    const list = tracksOfArtist.get(t.artistKey);
    if (list) list.push(t);
    else tracksOfArtist.set(t.artistKey, [t]);
  }
  const artistsOfGenre = artistDrawsByGenre(genres, artists, (popularity) => popularity);
  const ctx: TextContext = {
    random: streamRandom(seed, "documents"),
    genres,
    genreByKey: new Map(genres.map((g) => [g.key, g])),
    artists,
    artistsOfGenre,
    tracksOfArtist,
  };
  const drafts: Omit<DemoDocument, "key">[] = [];
  const bios: string[] = [];
  for (const artist of artists) {
    const bio = artistBio(ctx, artist);
    bios.push(bio);
    drafts.push({ entityKind: "artist", entityKey: artist.key, source: "bio", text: bio });
    // Popular artists get written about more.
    const posts = 1 + (ctx.random() < artist.popularity * 2 ? 1 : 0) + (ctx.random() < artist.popularity ? 1 : 0);
    for (let i = 0; i < posts; i++) {
      drafts.push({ entityKind: "artist", entityKey: artist.key, source: "blog", text: wrap(ctx, body(ctx, artist, uniformInt(ctx.random, 3, 7))) });
    }
    if (ctx.random() < 0.6) drafts.push({ entityKind: "artist", entityKey: artist.key, source: "tag", text: tagList(ctx, artist) });
  }
  const artistByKey = new Map(artists.map((a) => [a.key, a]));
  for (const track of tracks) {
    const artist = artistByKey.get(track.artistKey)!;
    if (ctx.random() < 0.12 + 0.5 * track.popularity) {
      drafts.push({ entityKind: "track", entityKey: track.key, source: "review", text: review(ctx, artist, track) });
    }
    if (ctx.random() < 0.1) drafts.push({ entityKind: "track", entityKey: track.key, source: "tag", text: tagList(ctx, artist) });
  }
  const documents = drafts.map((d, i) => ({ key: padKey("demo-doc", i, drafts.length, 6), ...d }));
  return { documents, bios };
}
