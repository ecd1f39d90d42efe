import "reflect-metadata";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  ConnectionHandler,
  createOperationDescriptor,
  createReaderSelector,
  Environment,
  fetchQuery,
  Network,
  RecordSource,
  ROOT_ID,
  Store,
  type ConcreteRequest,
  type FetchFunction,
  type ReaderFragment,
} from "relay-runtime";
import { useApiWorld, type ApiWorld } from "./support.ts";

/**
 * The Relay set-up of docs/api.md against the running API: the Relay compiler builds a
 * refetchable connection fragment from the committed schema, relay-runtime fetches it through
 * the documented network layer, and its ConnectionHandler merges the pages of a walk forwards
 * (first/after) and of one backwards (last/before) into one connection in the store.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const relayBinary = createRequire(import.meta.url)("relay-compiler") as string;
const work = mkdtempSync(join(tmpdir(), "deepcuts-relay-client-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SOURCE = `import { graphql } from "react-relay";
export const tracksList = graphql\`
  fragment Tracks_list on Query @refetchable(queryName: "TracksPaginationQuery")
    @argumentDefinitions(first: { type: "Int" }, after: { type: "String" }, last: { type: "Int" }, before: { type: "String" }) {
    tracks(first: $first, after: $after, last: $last, before: $before) @connection(key: "Tracks_tracks") {
      totalCount edges { node { id title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }\`;
`;

interface ListData {
  tracks: {
    totalCount: number;
    edges: { node: { id: string; title: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

/** Compiles SOURCE against the committed schema into CommonJS artifacts and loads them. */
function compile(): { query: ConcreteRequest; fragment: ReaderFragment } {
  mkdirSync(join(work, "src"), { recursive: true });
  writeFileSync(join(work, "schema.graphql"), readFileSync(join(root, "apps/api/schema.graphql"), "utf8"));
  writeFileSync(join(work, "src", "tracks.js"), SOURCE);
  writeFileSync(join(work, "relay.config.json"), JSON.stringify({ src: "./src", schema: "./schema.graphql", language: "javascript", eagerEsModules: false }));
  const run = spawnSync(relayBinary, ["relay.config.json"], { cwd: work, encoding: "utf8", timeout: 60_000 });
  expect(`${run.stdout}${run.stderr}`).toContain("Compilation completed");
  const load = createRequire(join(work, "src", "__generated__", "index.js"));
  return { query: load("./TracksPaginationQuery.graphql.js") as ConcreteRequest, fragment: load("./Tracks_list.graphql.js") as ReaderFragment };
}

/** docs/api.md's network layer (POST with the key; the subscription half is the graphql-ws client the other client tests use). */
function environment(url: string, key: string): Environment {
  const headers = { "content-type": "application/json", authorization: `Bearer ${key}` };
  const fetchFn: FetchFunction = async (operation, variables) =>
    (await fetch(url, { method: "POST", headers, body: JSON.stringify({ query: operation.text, operationName: operation.name, variables }) })).json();
  return new Environment({ network: Network.create(fetchFn), store: new Store(new RecordSource()) });
}

describe("Relay (relay-runtime with the compiler's artifacts) against the running API", () => {
  let w: ApiWorld;
  useApiWorld("embedded", false, (world) => (w = world));

  it("merges a walk forwards and one backwards into the same connection of 120 tracks, in the same order", async () => {
    const { query, fragment } = compile();
    const walk = async (direction: "forward" | "backward") => {
      const env = environment(w.api.url, w.keys.admin);
      let cursor: string | null = null;
      let read: ListData | null = null;
      for (let pages = 1; pages <= 5; pages++) {
        const variables =
          direction === "forward" ? { first: 50, after: cursor, last: null, before: null } : { first: null, after: null, last: 50, before: cursor };
        await fetchQuery(env, query, variables).toPromise();
        // What a component would read: the fragment over the root, with the connection the handler merged.
        const request = createOperationDescriptor(query, variables).request;
        read = env.lookup(createReaderSelector(fragment, ROOT_ID, variables, request)).data as unknown as ListData;
        expect(read.tracks.totalCount).toBe(120);
        expect(read.tracks.edges.length).toBe(Math.min(120, pages * 50));
        const { hasNextPage, hasPreviousPage, startCursor, endCursor } = read.tracks.pageInfo;
        if (direction === "forward" ? !hasNextPage : !hasPreviousPage) {
          expect(pages).toBe(3);
          break;
        }
        cursor = direction === "forward" ? endCursor : startCursor;
      }
      // The connection record the handler keeps in the store, as a Relay pagination container sees it.
      let edges: number | undefined;
      env.commitUpdate((store) => {
        edges = ConnectionHandler.getConnection(store.getRoot(), "Tracks_tracks")?.getLinkedRecords("edges")?.length;
      });
      expect(edges).toBe(120);
      return read!.tracks.edges.map((e) => e.node.title);
    };
    const forward = await walk("forward");
    const backward = await walk("backward");
    expect(new Set(forward).size).toBe(120);
    // Backwards, the handler prepends each page: the merged list is in the connection's own order.
    expect(backward).toEqual(forward);
  }, 120_000);
});
