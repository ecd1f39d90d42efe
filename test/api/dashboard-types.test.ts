import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, generateFromFiles, generatedPath } from "../../apps/dashboard/scripts/graphql-types.ts";

const SCHEMA = `
  enum Mood { CALM LOUD }
  input Range { from: Int!, to: Int = 10 }
  type Artist { id: Int!, name: String!, mood: Mood }
  type Song { id: Int!, title: String, artist: Artist!, tags: [String!]!, plays: [Int] }
  type Query { songs(range: Range, search: String!, ids: [Int!]): [Song!]!, song(id: Int!): Song }
`;

describe("the dashboard's generated GraphQL types (graphql-codegen)", () => {
  it("apps/dashboard/src/lib/generated/graphql.ts is current (regenerate: npm run dashboard:types)", async () => {
    expect(readFileSync(generatedPath, "utf8")).toBe(await generateFromFiles());
  });

  it("maps nullability, lists, enums, aliases, fragments and variables as the schema says", async () => {
    const code = await generate(SCHEMA, [
      {
        name: "songs.graphql",
        text: `fragment Who on Artist { name mood }
             query Songs($search: String!, $range: Range, $ids: [Int!]) { songs(search: $search, range: $range, ids: $ids) { id title tags plays artist { ...Who } } one: song(id: 1) { id } }`,
      },
    ]);
    // Enums are string unions; a nullable field is `T | null` (no Maybe alias); no __typename.
    expect(code).toMatch(/export type Mood =\s*\| 'CALM'\s*\| 'LOUD';/);
    expect(code).toContain("export type Range = {\n  from: number;\n  to?: number | null | undefined;\n};");
    expect(code).toContain("export type WhoFragment = { name: string, mood: Mood | null };");
    expect(code).toContain(
      "export type SongsQuery = { songs: Array<{ id: number, title: string | null, tags: Array<string>, plays: Array<number | null> | null, artist: { name: string, mood: Mood | null } }>, one: { id: number } | null };",
    );
    // A nullable variable may be left out; a list variable takes an array only.
    expect(code).toMatch(
      /export type SongsQueryVariables = Exact<\{\s*search: string;\s*range\?: Range \| null \| undefined;\s*ids\?: Array<number> \| null \| undefined;\s*\}>;/,
    );
    expect(code).not.toMatch(/__typename\??:/);
    // The document is a string carrying the fragments it uses, typed by its answer and variables.
    expect(code).toMatch(
      /export const SongsDocument = new TypedDocumentString\(`\s*query Songs[\s\S]*fragment Who on Artist \{[\s\S]*`\) as unknown as TypedDocumentString<SongsQuery, SongsQueryVariables>;/,
    );
  });

  it("refuses an operation the schema cannot answer, naming the problem", async () => {
    await expect(generate(SCHEMA, [{ name: "bad.graphql", text: `query Bad { songs(search: "x") { id lyrics } }` }])).rejects.toThrow(
      /Cannot query field "lyrics" on type "Song"/,
    );
    await expect(generate(SCHEMA, [{ name: "anon.graphql", text: `{ song(id: 1) { id } }` }])).rejects.toThrow(
      "anon.graphql: every dashboard operation needs a name",
    );
  });
});
