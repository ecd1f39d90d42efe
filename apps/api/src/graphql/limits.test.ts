import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { apiSchema } from "./schema.ts";
import { assertWithinLimits, costDependsOnVariables, MAX_DEPTH, operationDepth } from "./limits.ts";

function split(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { op, fragments };
}

const nested = (depth: number) => "{ " + "a { ".repeat(depth - 1) + "b" + " }".repeat(depth - 1) + " }";

describe("query limits", () => {
  it("measures depth through fields, inline fragments and fragment spreads, skipping introspection", () => {
    expect(operationDepth(split(nested(1)).op, {})).toBe(1);
    expect(operationDepth(split(nested(7)).op, {})).toBe(7);
    const f = split(`query { a { ...F ... on X { b { c } } } } fragment F on T { d { e { f } } } `);
    expect(operationDepth(f.op, f.fragments)).toBe(4);
    expect(operationDepth(split(`{ __schema { types { fields { type { ofType { name } } } } } }`).op, {})).toBe(0);
  });

  it("does not loop on a fragment cycle", () => {
    const f = split(`query { a { ...F } } fragment F on T { b { ...F } }`);
    expect(operationDepth(f.op, f.fragments)).toBe(2);
  });

  it(`refuses depth ${MAX_DEPTH + 1} and accepts ${MAX_DEPTH}, naming the depth`, async () => {
    const schema = await apiSchema();
    const deep = split(nested(MAX_DEPTH + 1));
    expect(() => assertWithinLimits(schema, deep.op, {}, {})).toThrow(`query depth ${MAX_DEPTH + 1} exceeds the limit of ${MAX_DEPTH}`);
    const ok = split(`{ health { ok } }`);
    expect(() => assertWithinLimits(schema, ok.op, {}, {})).not.toThrow();
  });

  it("counts page sizes into the complexity", async () => {
    const schema = await apiSchema();
    const q = (first: number) => split(`{ tracks(first: ${first}) { edges { node { vectors { values } artist { vectors { values } } } } } }`);
    expect(() => assertWithinLimits(schema, q(10).op, {}, {})).not.toThrow();
    expect(() => assertWithinLimits(schema, q(100).op, {}, {})).not.toThrow();
    const playlists = split(`{ weeklyPlaylists(userId: 1, first: 100) { edges { node { items { track { title } } } } } }`);
    expect(() => assertWithinLimits(schema, playlists.op, {}, {})).toThrow(/query complexity \d+ exceeds the limit of 5000/);
  });

  it("knows when a variable can change the cost: page sizes and @skip/@include, not ids", async () => {
    const schema = await apiSchema();
    const depends = (query: string) => {
      const { op, fragments } = split(query);
      return costDependsOnVariables(schema, op, fragments);
    };
    expect(depends(`query($u:Int!){ weeklyPlaylist(userId:$u){ items { track { title artist { name } } } } }`)).toBe(false);
    expect(depends(`{ weeklyPlaylists(userId: 1, first: 100) { edges { node { weekStart } } } }`)).toBe(false);
    expect(depends(`query($n:Int!){ weeklyPlaylists(userId: 1, first: $n) { edges { node { weekStart } } } }`)).toBe(true);
    expect(depends(`query($n:Int!){ ...F } fragment F on Query { tracks(first: $n) { edges { node { title } } } }`)).toBe(true);
    expect(depends(`query($s:Boolean!){ health @skip(if: $s) { ok } }`)).toBe(true);
  });
});
