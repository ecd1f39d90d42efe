import { describe, expect, it } from "vitest";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();
const weights = { collaborative: 1, text: 0.5, audio: 0, popularity: 0.1, novelty: 0 };
const constraints = { playlistSize: 10, artistCap: 3, knownArtistShare: 0.5, diversity: 0.2, excludeSkipped: true };
const event = (over: Record<string, unknown>) => ({ eventId: "e1", kind: "STREAM", trackId: 1, occurredAt: "2026-01-05T10:00:00Z", ...over });

interface BadInput {
  type: string;
  key: "curator" | "listener";
  query: string;
  variables: (w: ApiWorld) => Record<string, unknown>;
  code: string;
  /** The field the error names (BAD_USER_INPUT from our validation). */
  field?: string;
}

const PREVIEW = `query($u:Int!,$w:BlendWeightsInput!,$c:BlendConstraintsInput!){ previewPlaylist(userId:$u, weights:$w, constraints:$c){ status } }`;
const EVENTS = `mutation($u:Int!,$e:[EventInput!]!){ recordEvents(userId:$u, events:$e){ recorded } }`;
const GRAPH = `query($s:[Int!]!,$k:Int!,$d:Int!,$m:Float!){ similarityGraph(seeds:$s, k:$k, depth:$d, minScore:$m, model:COLLABORATIVE){ nodes{ id } } }`;

const CASES: BadInput[] = [
  {
    type: "Int out of range",
    key: "curator",
    query: `query($f:Int){ tracks(first:$f){ totalCount } }`,
    variables: () => ({ f: 0 }),
    code: "BAD_USER_INPUT",
    field: "first",
  },
  {
    type: "Int not an id",
    key: "curator",
    query: `query($id:Int!){ track(id:$id){ id: databaseId } }`,
    variables: () => ({ id: -4 }),
    code: "BAD_USER_INPUT",
    field: "id",
  },
  {
    type: "Int given a string",
    key: "curator",
    query: `query($f:Int){ tracks(first:$f){ totalCount } }`,
    variables: () => ({ f: "ten" }),
    code: "BAD_USER_INPUT",
  },
  {
    type: "Int over 32 bits",
    key: "curator",
    query: `query($id:Int!){ track(id:$id){ id: databaseId } }`,
    variables: () => ({ id: 2 ** 40 }),
    code: "BAD_USER_INPUT",
  },
  {
    type: "String cursor forged",
    key: "curator",
    query: `query($a:String){ tracks(after:$a){ totalCount } }`,
    variables: () => ({ a: "bm90LWEtY3Vyc29y" }),
    code: "BAD_USER_INPUT",
    field: "after",
  },
  {
    type: "String date not a Monday",
    key: "listener",
    query: `query($u:Int!,$w:String){ weeklyPlaylist(userId:$u, weekStart:$w){ id: databaseId } }`,
    variables: (w) => ({ u: w.userIds[0], w: "2026-11-24" }),
    code: "BAD_USER_INPUT",
    field: "weekStart",
  },
  {
    type: "String not a date",
    key: "listener",
    query: `query($u:Int!,$w:String){ weeklyPlaylist(userId:$u, weekStart:$w){ id: databaseId } }`,
    variables: (w) => ({ u: w.userIds[0], w: "2026-13-01" }),
    code: "BAD_USER_INPUT",
    field: "weekStart",
  },
  {
    type: "Float out of range",
    key: "curator",
    query: GRAPH,
    variables: (w) => ({ s: [w.trackIds[0]], k: 3, d: 1, m: 1.5 }),
    code: "BAD_USER_INPUT",
    field: "minScore",
  },
  {
    type: "Float given NaN-ish string",
    key: "curator",
    query: GRAPH,
    variables: (w) => ({ s: [w.trackIds[0]], k: 3, d: 1, m: "high" }),
    code: "BAD_USER_INPUT",
  },
  { type: "list empty", key: "curator", query: GRAPH, variables: () => ({ s: [], k: 3, d: 1, m: 0 }), code: "BAD_USER_INPUT", field: "seeds" },
  {
    type: "list too long",
    key: "curator",
    query: GRAPH,
    variables: (w) => ({ s: w.trackIds.slice(0, 21), k: 3, d: 1, m: 0 }),
    code: "BAD_USER_INPUT",
    field: "seeds",
  },
  { type: "Int k too large", key: "curator", query: GRAPH, variables: (w) => ({ s: [w.trackIds[0]], k: 50, d: 1, m: 0 }), code: "BAD_USER_INPUT", field: "k" },
  {
    type: "enum unknown value",
    key: "curator",
    query: `query($m:SimilarityModel!){ similarTracks(trackId:1, model:$m){ score } }`,
    variables: () => ({ m: "VIBES" }),
    code: "BAD_USER_INPUT",
  },
  {
    type: "enum BLEND where a single model is needed",
    key: "curator",
    query: `{ vectorProjection(model:BLEND){ versionId } }`,
    variables: () => ({}),
    code: "BAD_USER_INPUT",
    field: "model",
  },
  {
    type: "Int sample too small",
    key: "curator",
    query: `{ vectorProjection(model:COLLABORATIVE, sample:2){ versionId } }`,
    variables: () => ({}),
    code: "BAD_USER_INPUT",
    field: "sample",
  },
  {
    type: "input object weight negative",
    key: "curator",
    query: PREVIEW,
    variables: (w) => ({ u: w.userIds[0], w: { ...weights, text: -1 }, c: constraints }),
    code: "BAD_USER_INPUT",
    field: "weights.text",
  },
  {
    type: "input object constraint out of range",
    key: "curator",
    query: PREVIEW,
    variables: (w) => ({ u: w.userIds[0], w: weights, c: { ...constraints, artistCap: 0 } }),
    code: "BAD_USER_INPUT",
    field: "constraints.artistCap",
  },
  {
    type: "input object missing field",
    key: "curator",
    query: PREVIEW,
    variables: (w) => ({ u: w.userIds[0], w: { collaborative: 1 }, c: constraints }),
    code: "BAD_USER_INPUT",
  },
  {
    type: "Boolean given a string",
    key: "curator",
    query: PREVIEW,
    variables: (w) => ({ u: w.userIds[0], w: weights, c: { ...constraints, excludeSkipped: "yes" } }),
    code: "BAD_USER_INPUT",
  },
  {
    type: "DateTime malformed",
    key: "listener",
    query: EVENTS,
    variables: (w) => ({ u: w.userIds[0], e: [event({ trackId: w.trackIds[0], occurredAt: "last tuesday" })] }),
    code: "BAD_USER_INPUT",
  },
  {
    type: "DateTime in the future",
    key: "listener",
    query: EVENTS,
    variables: (w) => ({ u: w.userIds[0], e: [event({ trackId: w.trackIds[0], occurredAt: "2999-01-01T00:00:00Z" })] }),
    code: "BAD_USER_INPUT",
    field: "events[0].occurredAt",
  },
  {
    type: "event list item missing its track",
    key: "listener",
    query: EVENTS,
    variables: (w) => ({ u: w.userIds[0], e: [event({ eventId: "ok", trackId: w.trackIds[0] }), event({ eventId: "bad", trackId: null })] }),
    code: "BAD_USER_INPUT",
    field: "events[1].trackId",
  },
  {
    type: "event naming an unknown track",
    key: "listener",
    query: EVENTS,
    variables: (w) => ({ u: w.userIds[0], e: [event({ trackId: 999_999 })] }),
    code: "BAD_USER_INPUT",
    field: "events[0].trackId",
  },
  {
    type: "event id repeated in a batch",
    key: "listener",
    query: EVENTS,
    variables: (w) => ({ u: w.userIds[0], e: [event({ trackId: w.trackIds[0] }), event({ trackId: w.trackIds[1] })] }),
    code: "BAD_USER_INPUT",
    field: "events[1].eventId",
  },
  {
    type: "event id with odd characters",
    key: "listener",
    query: EVENTS,
    variables: (w) => ({ u: w.userIds[0], e: [event({ eventId: "a b'; DROP", trackId: w.trackIds[0] })] }),
    code: "BAD_USER_INPUT",
    field: "events[0].eventId",
  },
  {
    type: "both or neither target",
    key: "listener",
    query: `mutation($u:Int!){ markNotForMe(userId:$u){ received } }`,
    variables: (w) => ({ u: w.userIds[0] }),
    code: "BAD_USER_INPUT",
    field: "trackId",
  },
  { type: "not found", key: "curator", query: `{ track(id:999999){ id: databaseId } }`, variables: () => ({}), code: "NOT_FOUND" },
  { type: "unknown argument", key: "curator", query: `{ tracks(frist:5){ totalCount } }`, variables: () => ({}), code: "GRAPHQL_VALIDATION_FAILED" },
  { type: "syntax error", key: "curator", query: `{ tracks(first:5 { totalCount } }`, variables: () => ({}), code: "GRAPHQL_PARSE_FAILED" },
];

describe.each<Target>(["embedded", "postgres"])("bad inputs on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  it.skipIf(skip)(`each argument type rejects bad values with a coded error naming the field, and writes nothing ${skip ? skipPostgres : ""}`, async () => {
    const [before] = await w.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events`);
    const wrong: string[] = [];
    for (const c of CASES) {
      const r = await gql(w.api.url, c.query, c.variables(w), w.keys[c.key]);
      const err = r.body.errors?.[0];
      if (!err || err.extensions?.code !== c.code || (c.field && err.extensions?.field !== c.field)) {
        wrong.push(`${c.type}: wanted ${c.code}${c.field ? ` on ${c.field}` : ""}, got ${JSON.stringify(r.body.errors ?? r.body.data)}`);
      }
      const text = JSON.stringify(r.body);
      if (/stacktrace|\bat \w+ \(|SELECT |INSERT |prisma/i.test(text)) wrong.push(`${c.type}: leaks internals: ${text.slice(0, 300)}`);
    }
    expect(wrong).toEqual([]);
    const [after] = await w.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events`);
    expect(after.n).toBe(before.n);
  });

  it.skipIf(skip)("a list variable with more bad items than graphql-js checks (50) is still BAD_USER_INPUT", async () => {
    const r = await gql(w.api.url, `query($ids:[ID!]!){ nodes(ids:$ids){ id } }`, { ids: Array.from({ length: 100 }, () => null) }, w.keys.curator);
    const codes = new Set((r.body.errors ?? []).map((e) => e.extensions?.code));
    expect([...codes]).toEqual(["BAD_USER_INPUT"]);
  });

  it.skipIf(skip)("an internal failure reaches the client as a bare INTERNAL_SERVER_ERROR", async () => {
    await w.t.db.query(`UPDATE model_versions SET is_active = true WHERE id = $1`, [w.alsVersionId]);
    await w.t.db.query(`INSERT INTO vectors (model_version_id, entity_kind, entity_id, data) VALUES ($1, 'ARTIST', 999, '\\x00'::bytea)`, [w.alsVersionId]);
    const r = await gql(w.api.url, `query($a:Int!){ similarArtists(artistId:$a, model:COLLABORATIVE){ score } }`, { a: w.artistIds[0] }, w.keys.curator);
    expect(r.body.errors).toEqual([{ message: "internal server error", path: ["similarArtists"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
    await w.t.db.query(`DELETE FROM vectors WHERE model_version_id = $1 AND entity_id = 999`, [w.alsVersionId]);
  });
});
