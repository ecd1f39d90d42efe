import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import { PageInfo } from "./catalog.type.ts";

/**
 * A Relay-style connection type for `node`: edges with opaque cursors, page info and the total.
 * Subclass it with `@ObjectType() class XConnection extends Connection("X", X) {}`. Every list
 * field returns one, so every list has the hard page-size limit of pagination.ts.
 */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType()
  abstract class ConnectionType {
    @Field(() => [Edge], { complexity: 0 }) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int) totalCount!: number;
  }
  return ConnectionType;
}

export interface ConnectionValue<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}
