import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, generateFromFiles, generatedPath } from "../../apps/dashboard/scripts/graphql-types.ts";

const SCHEMA = `
  enum Mood { CALM LOUD }
  input Range { from: Int!, to: Int = 10 }
  type Artist { id: Int!, name: String!, mood: Mood }
  type Song { id: Int!, title: String, artist: Artist!, tags: [String!]!, plays: [Int] }
  type Query { songs(range: Range, search: String!): [Song!]!, song(id: Int!): Song }
`;

describe("the dashboard's generated GraphQL types", () => {
  it("apps/dashboard/src/lib/generated/graphql.ts is current (regenerate: node --import tsx apps/dashboard/scripts/graphql-types.ts)", () => {
    expect(readFileSync(generatedPath, "utf8")).toBe(generateFromFiles());
  });

  it("maps nullability, lists, enums, aliases, fragments and variables as the schema says", () => {
    const code = generate(SCHEMA, [{
      name: "songs.graphql",
      text: `fragment Who on Artist { name mood }
             query Songs($search: String!, $range: Range) { songs(search: $search, range: $range) { id title tags plays artist { ...Who } } one: song(id: 1) { id } }`,
    }]);
    expect(code).toContain(`export type Mood = "CALM" | "LOUD";`);
    expect(code).toContain(`export interface Range {\n  from: number;\n  to?: number | null;\n}`);
    expect(code).toContain(`export interface WhoFragment {\n  name: string;\n  mood: Mood | null;\n}`);
    expect(code).toContain([
      "export interface SongsQuery {",
      "  songs: Array<{",
      "    id: number;",
      "    title: string | null;",
      "    tags: Array<string>;",
      "    plays: Array<number | null> | null;",
      "    artist: {",
      "      name: string;",
      "      mood: Mood | null;",
      "    };",
      "  }>;",
      "  one: {",
      "    id: number;",
      "  } | null;",
      "}",
    ].join("\n"));
    expect(code).toContain(`export interface SongsVariables {\n  search: string;\n  range?: Range | null;\n}`);
    // The document carries the fragments it uses, so it can be sent as it is.
    expect(code).toMatch(/export const SongsDocument = `query Songs[\s\S]*fragment Who on Artist \{[\s\S]*`;/);
  });

  it("refuses an operation the schema cannot answer, naming the problem", () => {
    expect(() => generate(SCHEMA, [{ name: "bad.graphql", text: `query Bad { songs(search: "x") { id lyrics } }` }])).toThrow(/Cannot query field "lyrics" on type "Song"/);
    expect(() => generate(SCHEMA, [{ name: "anon.graphql", text: `{ song(id: 1) { id } }` }])).toThrow("every dashboard operation needs a name");
  });
});
