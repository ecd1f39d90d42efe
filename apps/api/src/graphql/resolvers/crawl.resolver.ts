import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { coMentionNeighbours } from "@deepcuts/engine/crawl/co-mention.ts";
import { startCrawl } from "@deepcuts/engine/crawl/jobs.ts";
import { addCrawlSite, listCrawlSites, removeCrawlSite } from "@deepcuts/engine/crawl/sites.ts";
import type { ApiContext } from "../context.ts";
import { badInput } from "../errors.ts";
import { positiveId } from "../pagination.ts";
import type { Artist } from "../types/catalogue.type.ts";
import { CoMentionedArtist, CrawlSite, CrawlSource } from "../types/crawl.type.ts";
import { Job } from "../types/curation.type.ts";

const MAX_SITES = 500;

/** The crawler's seed sites, managed by curators, and crawls started in the background. */
@Resolver()
export class CrawlResolver {
  @Authorized("CURATOR")
  @Query(() => [CrawlSite], { description: `The crawler's seed sites, oldest first. At most ${MAX_SITES}.`, complexity: 10 })
  async crawlSites(@Ctx() ctx: ApiContext, @Arg("first", () => Int, { defaultValue: 100, description: `1..${MAX_SITES}` }) first: number) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SITES) throw badInput("first", `must be 1..${MAX_SITES}, got ${first}`);
    return (await listCrawlSites(ctx.db)).slice(0, first);
  }

  @Authorized("CURATOR")
  @Query(() => [CoMentionedArtist], {
    description:
      "Artists written about in the same crawled articles as this one, by normalised PMI, best first; pairs in fewer than minArticles shared articles are left out.",
    complexity: 20,
  })
  async coMentionedArtists(
    @Ctx() ctx: ApiContext,
    @Arg("artistId", () => Int, { description: "The artist." }) artistId: number,
    @Arg("first", () => Int, { defaultValue: 10, description: "1..100" }) first: number,
    @Arg("minArticles", () => Int, { defaultValue: 2, description: "1..1000: shared articles a pair needs." }) minArticles: number,
  ): Promise<CoMentionedArtist[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput("first", `must be 1..100, got ${first}`);
    if (!Number.isInteger(minArticles) || minArticles < 1 || minArticles > 1000) throw badInput("minArticles", `must be 1..1000, got ${minArticles}`);
    const found = await coMentionNeighbours(ctx.db, positiveId(artistId, "artistId"), { limit: first, minArticles });
    const artists = await ctx.loaders.artist.loadMany(found.map((f) => f.artist.id));
    return found.map((f, i) => ({ ...f, artist: artists[i] as Artist }));
  }

  @Authorized("CURATOR")
  @Mutation(() => CrawlSite, {
    description: "Adds a seed site (http or https; its URL must be new). allowPrivate lets the crawler reach private and loopback addresses for it.",
  })
  addCrawlSite(
    @Ctx() ctx: ApiContext,
    @Arg("url", () => String, { description: "An absolute http(s) URL: a feed, or a page whose same-host links are articles." }) url: string,
    @Arg("name", () => String, { nullable: true, description: "A label; the URL's host when omitted." }) name: string | null,
    @Arg("source", () => CrawlSource, { defaultValue: CrawlSource.BLOG, description: "What its articles are stored as." }) source: CrawlSource,
    @Arg("allowPrivate", () => Boolean, {
      defaultValue: false,
      description: "Let the crawler reach private and loopback addresses for this site (an intranet, a test server).",
    })
    allowPrivate: boolean,
  ) {
    return addCrawlSite(ctx.db, { url, name: name ?? undefined, source, allowPrivate });
  }

  @Authorized("CURATOR")
  @Mutation(() => CrawlSite, { description: "Removes a seed site with its pages and articles; the documents it gave the text model stay." })
  removeCrawlSite(@Ctx() ctx: ApiContext, @Arg("id", () => Int, { description: "The site's id." }) id: number) {
    return removeCrawlSite(ctx.db, positiveId(id, "id"));
  }

  @Authorized("CURATOR")
  @Mutation(() => Job, { description: "Crawls the enabled seed sites (or one) in the background; returns the job, or the crawl already queued or running." })
  startCrawl(
    @Ctx() ctx: ApiContext,
    @Arg("siteId", () => Int, { nullable: true, description: "Only this site; every enabled one when omitted." }) siteId: number | null,
  ) {
    return startCrawl(ctx.db, siteId == null ? {} : { siteIds: [positiveId(siteId, "siteId")] });
  }
}
