import { cache } from "react";
import { gql } from "./graphql.ts";

export interface Capabilities {
  queries: ReadonlySet<string>;
  mutations: ReadonlySet<string>;
  /** Fields of the other object types, by type name (a page may need a field newer than its query). */
  fields: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Introspection {
  __schema: {
    queryType: { fields: { name: string }[] };
    mutationType: { fields: { name: string }[] } | null;
    types: { name: string; fields: { name: string }[] | null }[];
  };
}

// The schema changes only when the API is upgraded: asking once a minute saves an
// introspection round trip (about 150 ms on the demo machine) on nearly every page view.
const TTL_MS = 60_000;
let remembered: { at: number; value: Capabilities } | null = null;

/**
 * Which operations this API offers, read from its schema. The API is growing; a page whose
 * operations are missing says so instead of failing.
 */
export const capabilities = cache(async (key: string): Promise<Capabilities> => {
  if (remembered && Date.now() - remembered.at < TTL_MS) return remembered.value;
  const data = await gql<Introspection>(
    `{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name fields { name } } } }`,
    {},
    key,
  );
  const value = {
    queries: new Set(data.__schema.queryType.fields.map((f) => f.name)),
    mutations: new Set(data.__schema.mutationType?.fields.map((f) => f.name) ?? []),
    fields: new Map(data.__schema.types.filter((t) => t.fields && !t.name.startsWith("__")).map((t) => [t.name, new Set(t.fields!.map((f) => f.name))])),
  };
  remembered = { at: Date.now(), value };
  return value;
});

/** The operations or fields in `needed` ("Query.x", "Mutation.y", "Type.field") that the API does not offer. */
export function missingOperations(caps: Capabilities, needed: readonly string[]): string[] {
  return needed.filter((op) => {
    const [kind, name] = op.split(".");
    const offered = kind === "Query" ? caps.queries : kind === "Mutation" ? caps.mutations : caps.fields.get(kind);
    return !offered?.has(name);
  });
}
