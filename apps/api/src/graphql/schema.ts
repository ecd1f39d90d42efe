import "reflect-metadata";
import { buildSchema } from "type-graphql";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./auth.ts";
import { assertEveryInputBounded, describeInputLimits } from "./input-limits.ts";
import { apiMiddleware } from "./middleware.ts";
import { ArtistResolver, HealthResolver, TrackResolver, UserResolver } from "./resolvers/catalog.resolver.ts";
import { CurationResolver } from "./resolvers/curation.resolver.ts";
import { KeysResolver } from "./resolvers/keys.resolver.ts";
import { ListenerResolver } from "./resolvers/listener.resolver.ts";
import { PlaylistItemResolver, PlaylistResolver, PreviewItemResolver } from "./resolvers/playlist.resolver.ts";
import { SimilarityGraphResolver, SimilarityResolver } from "./resolvers/similarity.resolver.ts";

export const resolvers = [
  HealthResolver, TrackResolver, ArtistResolver, UserResolver,
  PlaylistResolver, PlaylistItemResolver, PreviewItemResolver, ListenerResolver,
  SimilarityResolver, SimilarityGraphResolver, CurationResolver, KeysResolver,
] as const;

let cached: Promise<GraphQLSchema> | null = null;

/** The executable schema (built once per process); every argument's limit is in its description. */
export function apiSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], authChecker, validate: false, globalMiddlewares: [apiMiddleware] }).then((schema) => {
    assertEveryInputBounded(schema);
    describeInputLimits(schema);
    return schema;
  });
  return cached;
}
