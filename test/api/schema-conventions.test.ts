import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSchema, isObjectType } from "graphql";
import { ESLint } from "eslint";
import { lintSchema, schemaLintConfig } from "../support/schema-lint.ts";
import { schemaFile } from "../../apps/api/src/graphql/emit-schema.ts";

// relay-compiler ships its native binary inside the npm package (linux-x64 included): no download.
const relayBinary = createRequire(import.meta.url)("relay-compiler") as string;
const work = mkdtempSync(join(tmpdir(), "deepcuts-relay-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Relay fragments a client would write: a refetchable connection paged both ways, and a refetchable Node. */
const RELAY_SOURCE = `import { graphql } from "react-relay";
export const tracksQuery = graphql\`query TracksQuery($first: Int) { ...Tracks_list @arguments(first: $first) }\`;
export const tracksList = graphql\`
  fragment Tracks_list on Query @refetchable(queryName: "TracksPaginationQuery")
    @argumentDefinitions(first: { type: "Int", defaultValue: 20 }, after: { type: "String" }, last: { type: "Int" }, before: { type: "String" }) {
    tracks(first: $first, after: $after, last: $last, before: $before) @connection(key: "Tracks_tracks") { totalCount edges { node { id databaseId title } } }
  }\`;
export const track = graphql\`fragment Tracks_track on Track @refetchable(queryName: "TrackRefetchQuery") { id title artist { id name } }\`;
export const playlist = graphql\`fragment Playlist_playlist on WeeklyPlaylist @refetchable(queryName: "PlaylistRefetchQuery") { id weekStart items { track { id title } } }\`;
`;

/** Runs the Relay compiler over RELAY_SOURCE against `sdl`; its exit status and output. */
function compileWithRelay(name: string, sdl: string): { status: number | null; output: string; dir: string } {
  const dir = join(work, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "schema.graphql"), sdl);
  writeFileSync(join(dir, "src", "relay.ts"), RELAY_SOURCE);
  writeFileSync(join(dir, "relay.config.json"), JSON.stringify({ src: "./src", schema: "./schema.graphql", language: "typescript" }));
  const run = spawnSync(relayBinary, ["relay.config.json"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, dir };
}

describe("schema conventions", () => {
  it("the Relay compiler accepts the committed schema: Node, node(id:), connections paged both ways", () => {
    const result = compileWithRelay("ok", readFileSync(schemaFile, "utf8"));
    expect(result.output).toContain("Compilation completed");
    expect(result.status).toBe(0);
    for (const artifact of ["TracksPaginationQuery", "TrackRefetchQuery", "PlaylistRefetchQuery"]) {
      expect(existsSync(join(result.dir, "src", "__generated__", `${artifact}.graphql.ts`))).toBe(true);
    }
    // The refetch query goes through node(id:), and the pagination query carries both directions.
    expect(readFileSync(join(result.dir, "src", "__generated__", "TrackRefetchQuery.graphql.ts"), "utf8")).toContain("node(id: $id)");
    expect(readFileSync(join(result.dir, "src", "__generated__", "TracksPaginationQuery.graphql.ts"), "utf8")).toMatch(/before: \$before/);
  });

  it("the Relay compiler refuses a schema without node(id:), so the check above can fail", () => {
    const committed = readFileSync(schemaFile, "utf8");
    const broken = committed.replace(/^ {2}node\(/m, "  nodeById(");
    expect(broken).not.toBe(committed);
    const result = compileWithRelay("broken", broken);
    expect(result.status).not.toBe(0);
  });

  it("graphql-eslint's schema rules (recommended and Relay) report nothing (also: npm run api:lint-schema)", async () => {
    expect(await lintSchema()).toEqual([]);
  });

  it("the same rules report an undescribed field and a connection without pageInfo", async () => {
    const dir = join(work, "lint");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "schema.graphql");
    writeFileSync(
      file,
      `"""Root."""\ntype Query {\n  """Things."""\n  things(first: Int, after: String): ThingConnection!\n}\n"""A thing."""\ntype Thing {\n  status: String\n}\n"""Page."""\ntype ThingConnection {\n  """Edges."""\n  edges: [ThingEdge!]!\n}\n"""Edge."""\ntype ThingEdge {\n  """Cursor."""\n  cursor: String!\n  """Node."""\n  node: Thing!\n}\n`,
    );
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: schemaLintConfig(file), cwd: dir });
    const rules = new Set((await eslint.lintFiles([file]))[0].messages.map((m) => m.ruleId));
    expect(rules).toContain("@graphql-eslint/require-description");
    expect(rules).toContain("@graphql-eslint/relay-connection-types");
  });

  it("every object with a database id implements Node", () => {
    const schema = buildSchema(readFileSync(schemaFile, "utf8"));
    const withDatabaseId = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && "databaseId" in t.getFields());
    expect(withDatabaseId.length).toBeGreaterThanOrEqual(8);
    expect(withDatabaseId.filter((t) => isObjectType(t) && !t.getInterfaces().some((i) => i.name === "Node")).map((t) => t.name)).toEqual([]);
  });
});
