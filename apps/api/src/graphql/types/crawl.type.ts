import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from "type-graphql";
import { Artist } from "./catalogue.type.ts";

export enum CrawlSource {
  BLOG = "BLOG",
  REVIEW = "REVIEW",
  NEWS = "NEWS",
}
registerEnumType(CrawlSource, { name: "CrawlSource", description: "What a crawl site's articles are stored as (the document source the text model sees)." });

@ObjectType({ description: "A seed site of the crawler: a feed, or a page whose same-host links are articles (docs/crawl.md)." })
export class CrawlSite {
  @Field(() => Int, { description: "The site's id (removeCrawlSite, startCrawl)." }) id!: number;
  @Field(() => String, { description: "The seed: a feed, or a page whose same-host links are articles." }) url!: string;
  @Field(() => String, { description: "A label for people (the host when none was given)." }) name!: string;
  @Field(() => CrawlSource, { description: "What its articles are stored as." }) source!: CrawlSource;
  @Field(() => Boolean, { description: "Whether the crawler may reach private and loopback addresses for this site." }) allowPrivate!: boolean;
  @Field(() => Boolean, { description: "Whether crawls include it." }) enabled!: boolean;
  @Field(() => GraphQLISODateTime, { description: "When it was added." }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When a crawl last finished it; null before the first." }) lastCrawledAt!: Date | null;
  @Field(() => Int, { description: "Articles stored from it." }) articles!: number;
}

@ObjectType({ description: "An artist written about in the same crawled articles as another (docs/crawl.md#co-mention-similarity)." })
export class CoMentionedArtist {
  @Field(() => Artist, { description: "The artist written about alongside." }) artist!: Artist;
  @Field(() => Int, { description: "Articles that mention both." }) articles!: number;
  @Field(() => Float, { description: "Pointwise mutual information ln(P(a,b) / (P(a) P(b))) over articles with a mention." }) pmi!: number;
  @Field(() => Float, { description: "Normalised PMI in [-1, 1], the ranking score; 1 = always written about together." }) score!: number;
  @Field(() => String, { description: 'Why, in words: "written about with X in 12 articles".' }) explanation!: string;
}
