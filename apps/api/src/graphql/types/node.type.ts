import { Field, ID, InterfaceType } from "type-graphql";

/** The object types that implement Node: each global id names one of them. */
export const NODE_TYPES = ["Track", "Artist", "User", "WeeklyPlaylist", "BlendConfig", "ModelVersion", "Job", "ApiKey", "Experiment"] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** A row tagged with the object type it is shown as (what `node`/`nodes` return). */
export type TaggedNode = { __typename: NodeTypeName; id: number };

@InterfaceType({
  description: "An object with a global id (Relay's Global Object Identification): refetch any of them with `node(id:)` or `nodes(ids:)`.",
  resolveType: (value: TaggedNode) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque global id: the object's type and database id, encoded. Stable; pass it to `node(id:)`." })
  id!: string;
}
