import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from "graphql";
import type { ApiContext } from "./context.ts";
import type { ArtistRecord } from "./loaders.ts";

/**
 * `Track.artist` runs once per item of a list (30 times for a weekly playlist). Through
 * type-graphql it passes the global middleware chain, which has nothing to do there (no
 * arguments, no role, not a root field: middleware.ts) but costs a copy of the track and several
 * promises a call. Here it is graphql-js's own resolver doing what TrackResolver.artist does: the
 * artist read with the track when the track carries it (a playlist's items do, synchronously),
 * else the request's loader.
 */
export function resolveTrackArtistDirectly(schema: GraphQLSchema): void {
  const field = (schema.getType("Track") as GraphQLObjectType).getFields().artist;
  if (!field || field.args.length > 0) throw new Error("Track.artist must exist and take no arguments to be resolved without the middleware");
  const resolve: GraphQLFieldResolver<{ artistId: number; artist?: ArtistRecord }, ApiContext> = (track, _args, ctx) =>
    track.artist ?? ctx.loaders.artist.load(track.artistId);
  field.resolve = resolve;
}
