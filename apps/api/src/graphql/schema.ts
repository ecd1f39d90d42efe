import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "../roles/checks.ts";
import { assertEveryInputBounded, describeInputLimits } from "./input-limits.ts";
import { apiMiddleware } from "./middleware.ts";
import { ArtistResolver, HealthResolver, TrackResolver, UserResolver } from "./resolvers/catalogue.resolver.ts";
import { CurationResolver } from "./resolvers/curation.resolver.ts";
import { KeysResolver } from "./resolvers/keys.resolver.ts";
import { ListenerResolver } from "./resolvers/listener.resolver.ts";
import { PlaylistResolver, PreviewItemResolver } from "./resolvers/playlist.resolver.ts";
import { PrivacyResolver } from "./resolvers/privacy.resolver.ts";
import { SimilarityGraphResolver, SimilarityResolver } from "./resolvers/similarity.resolver.ts";
import { LiveResolver } from "./resolvers/live.resolver.ts";
import { NodeResolver } from "./resolvers/node.resolver.ts";
import { OutcomesResolver } from "./resolvers/outcomes.resolver.ts";
import { ExperimentsResolver } from "./resolvers/experiments.resolver.ts";
import { CrawlResolver } from "./resolvers/crawl.resolver.ts";
import { CuratorReportsResolver } from "./resolvers/curator-reports.resolver.ts";
import { describeSchema } from "./schema-descriptions.ts";
import { applyCachePolicy, cacheControlDirective } from "./cache-policy.ts";
import { resolveTrackArtistDirectly } from "./direct-fields.ts";
import { createPubSub } from "@graphql-yoga/subscription";

export const resolvers = [
  HealthResolver,
  TrackResolver,
  ArtistResolver,
  UserResolver,
  PlaylistResolver,
  PreviewItemResolver,
  ListenerResolver,
  SimilarityResolver,
  SimilarityGraphResolver,
  CurationResolver,
  KeysResolver,
  LiveResolver,
  NodeResolver,
  PrivacyResolver,
  OutcomesResolver,
  ExperimentsResolver,
  CrawlResolver,
  CuratorReportsResolver,
] as const;

let cached: Promise<GraphQLSchema> | null = null;

/** The executable schema (built once per process); every argument's limit is in its description. */
export function apiSchema(): Promise<GraphQLSchema> {
  // type-graphql asks for a PubSub once any subscription exists; ours follow the database
  // through their own subscribe functions (LiveResolver), so nothing publishes on this one.
  cached ??= buildSchema({
    resolvers: [...resolvers],
    authChecker,
    validate: false,
    globalMiddlewares: [apiMiddleware],
    pubSub: createPubSub(),
    directives: [cacheControlDirective],
  }).then((schema) => {
    assertEveryInputBounded(schema);
    describeSchema(schema);
    describeInputLimits(schema);
    applyCachePolicy(schema);
    resolveTrackArtistDirectly(schema);
    return schema;
  });
  return cached;
}
