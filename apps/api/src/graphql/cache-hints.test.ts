import { describe, expect, it } from "vitest";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { createRequire } from "node:module";
import type { FragmentDefinitionNode, OperationDefinitionNode } from "graphql";
import { cacheHintsPlugin, staticCachePolicy } from "./cache-hints.ts";

// The copy of graphql the module under test uses (its type checks are instanceof checks).
const { buildSchema, parse } = createRequire(import.meta.url)("graphql") as typeof import("graphql");

// A schema with the shapes ours has: listener data (private 30 s) holding catalogue data (public
// 60 s), live data (max-age 0), an interface, a type that inherits its parent's maxAge, a scalar
// root field without a hint, and a mutation.
const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  interface Node { id: ID! }
  type Artist implements Node @cacheControl(maxAge: 60, scope: PUBLIC) { id: ID! name: String! }
  type Track implements Node @cacheControl(maxAge: 60, scope: PUBLIC) { id: ID! title: String! artist: Artist! }
  type Item @cacheControl(maxAge: 30, scope: PRIVATE) { position: Int! track: Track! }
  type Playlist implements Node @cacheControl(maxAge: 30, scope: PRIVATE) { id: ID! items: [Item!]! info: Info! events: [Event!]! }
  type Info @cacheControl(inheritMaxAge: true) { count: Int! }
  type Event @cacheControl(maxAge: 0, scope: PRIVATE) { at: String! }
  type Unhinted { x: Int }
  type Query {
    playlist(empty: Boolean): Playlist
    track: Track
    node(id: ID!): Node
    health: Health
    version: String
    unhinted: Unhinted
    fails: Track!
  }
  type Health @cacheControl(maxAge: 10, scope: PUBLIC) { ok: Boolean! }
  type Mutation { save: Track @cacheControl(maxAge: 0) }
`;
const artist = { id: "a1", name: "A" };
const track = { id: "t1", title: "T", artist };
const resolvers = {
  Node: { __resolveType: (o: { title?: string; name?: string }) => (o.title ? "Track" : o.name ? "Artist" : "Playlist") },
  Query: {
    playlist: (_: unknown, { empty }: { empty?: boolean }) =>
      empty ? null : { id: "p1", items: [{ position: 0, track }], info: { count: 1 }, events: [{ at: "now" }] },
    track: () => track,
    node: (_: unknown, { id }: { id: string }) => (id === "t1" ? track : id === "a1" ? artist : null),
    health: () => ({ ok: true }),
    version: () => "1",
    unhinted: () => ({ x: 1 }),
    fails: () => {
      throw new Error("no");
    },
  },
  Mutation: { save: () => track },
};

const QUERIES: [string, boolean][] = [
  // [operation, whether its policy is known from the operation alone]
  [`{ playlist { items { position track { title artist { name } } } } }`, true],
  [`{ playlist { info { count } items { track { id } } } }`, true],
  [`{ track { title artist { name } } }`, true],
  [`{ health { ok } track { title } }`, true],
  [`{ playlist { events { at } } }`, false],
  [`{ playlist(empty: true) { events { at } } }`, false],
  [`{ node(id: "t1") { id ... on Track { title } ... on Playlist { events { at } } } }`, false],
  [`{ node(id: "t1") { ... on Track { title } } }`, true],
  [`{ track { title } version }`, true],
  [`{ unhinted { x } }`, true],
  [`query($all: Boolean!) { track { title } playlist @include(if: $all) { id } }`, false],
  [`{ track { ...T } } fragment T on Track { title artist { name } }`, true],
  [`{ __typename }`, true],
  [`{ track { title } fails { title } }`, true],
  [`mutation { save { title } }`, true],
];

async function headerOf(server: ApolloServer, query: string): Promise<string | undefined> {
  const response = await server.executeOperation({ query, variables: { all: false } });
  return response.http.headers.get("cache-control");
}

describe("cache hints worked out per operation", () => {
  it("give every answer the Cache-Control that Apollo's per-field plugin gives it", async () => {
    const apollos = new ApolloServer({ typeDefs, resolvers });
    const ours = new ApolloServer({ typeDefs, resolvers, plugins: [ApolloServerPluginCacheControlDisabled(), cacheHintsPlugin()] });
    await Promise.all([apollos.start(), ours.start()]);
    try {
      const seen = new Set<string | undefined>();
      for (const [query] of QUERIES) {
        const expected = await headerOf(apollos, query);
        seen.add(expected);
        expect(await headerOf(ours, query), query).toBe(expected);
        expect(await headerOf(ours, query), `${query} (second time: the operation's verdict is kept)`).toBe(expected);
      }
      // The cases cover cacheable answers of both scopes and no-store ones.
      expect([...seen].sort()).toEqual(["max-age=10, public", "max-age=30, private", "max-age=60, public", "no-store"]);
    } finally {
      await Promise.all([apollos.stop(), ours.stop()]);
    }
  });

  it("are known from the operation alone exactly where the root fields already give the answer's policy", () => {
    const schema = buildSchema(typeDefs);
    for (const [query, known] of QUERIES) {
      const document = parse(query);
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
      const fragments = Object.fromEntries(
        document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((d) => [d.name.value, d]),
      );
      expect(staticCachePolicy(schema, operation, fragments) !== null, query).toBe(known);
    }
    const weekly = parse(`{ playlist { items { track { title artist { name } } } } }`).definitions[0] as OperationDefinitionNode;
    expect(staticCachePolicy(schema, weekly, {})).toEqual({ maxAge: 30, scope: "PRIVATE" });
  });
});
