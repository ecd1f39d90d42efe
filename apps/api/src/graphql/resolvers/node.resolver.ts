import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import { assertOwnListener } from "../../roles/checks.ts";
import { hasRole, type Role } from "../../roles/roles.ts";
import type { ApiContext } from "../context.ts";
import { forbidden, notFound } from "../errors.ts";
import { fromGlobalId, toGlobalId } from "../global-id.ts";
import { Node, type NodeTypeName, type TaggedNode } from "../types/node.type.ts";

/** The role each node type needs, as its own lookup or list does; listeners and playlists are also scoped to a listener key's own. */
const NEEDS: Record<NodeTypeName, Role> = {
  Track: "CURATOR",
  Artist: "CURATOR",
  User: "LISTENER",
  WeeklyPlaylist: "LISTENER",
  BlendConfig: "CURATOR",
  ModelVersion: "CURATOR",
  Job: "CURATOR",
  ApiKey: "ADMIN",
  Experiment: "CURATOR",
};

const NAMES: Record<NodeTypeName, string> = {
  Track: "track",
  Artist: "artist",
  User: "listener",
  WeeklyPlaylist: "playlist",
  BlendConfig: "blend configuration",
  ModelVersion: "model version",
  Job: "job",
  ApiKey: "API key",
  Experiment: "experiment",
};

/**
 * Fetches the object behind a global id with the same rules as its own lookup: FORBIDDEN for a
 * role below the type's, a listener key's scope applied (another listener's playlist is
 * NOT_FOUND, as if it did not exist), NOT_FOUND for an id with no row.
 */
async function fetchNode(ctx: ApiContext, globalId: string, field: string): Promise<TaggedNode> {
  const { type, id } = fromGlobalId(globalId, field);
  const viewer = ctx.viewer!;
  if (!hasRole(viewer.role, NEEDS[type])) throw forbidden(`reading a ${NAMES[type]} needs a ${NEEDS[type]} key`);
  if (type === "User") assertOwnListener(ctx, id);
  const row = await load(ctx, type, id);
  if (!row || (type === "WeeklyPlaylist" && viewer.role === "LISTENER" && row.userId !== viewer.userId)) {
    throw notFound(`${NAMES[type]} ${globalId}`);
  }
  return { ...row, __typename: type };
}

function load(ctx: ApiContext, type: NodeTypeName, id: number): Promise<{ id: number; userId?: number | null } | null> {
  const { loaders } = ctx;
  switch (type) {
    case "Track":
      return loaders.track.load(id);
    case "Artist":
      return loaders.artist.load(id);
    case "User":
      return loaders.user.load(id);
    case "WeeklyPlaylist":
      return loaders.playlist.load(id);
    case "BlendConfig":
      return loaders.blendConfig.load(id);
    case "ModelVersion":
      return loaders.modelVersion.load(id);
    case "Job":
      return loaders.job.load(id);
    case "ApiKey":
      return loaders.apiKey.load(id);
    case "Experiment":
      return loaders.experiment.load(id);
  }
}

/** Relay's Global Object Identification: every Node's `id`, and refetching by it. */
@Resolver(() => Node)
export class NodeResolver {
  @FieldResolver(() => ID, { description: "Opaque global id: the object's type and database id, encoded. Stable; pass it to `node(id:)`." })
  id(@Root() row: { id: number }, @Info() info: GraphQLResolveInfo): string {
    return toGlobalId(info.parentType.name as NodeTypeName, row.id);
  }

  @Authorized("LISTENER")
  @Query(() => Node, {
    nullable: true,
    description:
      "The object with this global id (any type implementing Node), under the same role and listener-scope rules as its own lookup. Null, with NOT_FOUND, FORBIDDEN or BAD_USER_INPUT in `errors`, when it cannot be shown.",
  })
  node(@Ctx() ctx: ApiContext, @Arg("id", () => ID, { description: "A global id (an object's `id` field)." }) id: string): Promise<TaggedNode> {
    return fetchNode(ctx, id, "id");
  }

  @Authorized("LISTENER")
  @Query(() => [Node], {
    nullable: "items",
    description:
      "The objects with these global ids, in the order asked: each one that cannot be shown is null, with its own error (path `nodes.<index>`), and the rest are returned.",
    complexity: ({ args, childComplexity }) => 1 + (Array.isArray(args.ids) ? args.ids.length : 1) * childComplexity,
  })
  nodes(@Ctx() ctx: ApiContext, @Arg("ids", () => [ID], { description: "Global ids (objects' `id` fields)." }) ids: string[]): Promise<TaggedNode>[] {
    return ids.map((id, i) => fetchNode(ctx, id, `ids[${i}]`));
  }
}
