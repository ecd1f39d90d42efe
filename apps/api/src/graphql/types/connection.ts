import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import { PageInfo } from "./catalogue.type.ts";

/**
 * A Relay-style connection type for `node`: edges with opaque cursors, page info and the total.
 * Subclass it with `@ObjectType() class XConnection extends Connection("X", X) {}`. Every list
 * field returns one, so every list has the hard page-size limit of pagination.ts.
 */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a ${name}Connection page, with its cursor.` })
  class Edge {
    @Field(() => String, {
      description: "Opaque cursor of this item: pass it as `after` (with `first`) or `before` (with `last`) to the same query with the same filters and key.",
    })
    cursor!: string;
    @Field(() => node, { description: `The ${name}.` }) node!: T;
  }

  @ObjectType({ description: `A page of ${name} items (a Relay cursor connection): page forward with first/after, backward with last/before.` })
  abstract class ConnectionType {
    @Field(() => [Edge], { complexity: 0, description: "The page's items, in the list's order, each with its cursor." }) edges!: Edge[];
    @Field(() => PageInfo, { description: "The page's first and last cursors and whether more items lie before or after it." }) pageInfo!: PageInfo;
    @Field(() => Int, { description: "How many items the whole list holds (all pages, the same filters and scope)." }) totalCount!: number;
  }
  return ConnectionType;
}

export interface ConnectionValue<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}
