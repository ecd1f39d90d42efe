import { describe, expect, it } from "vitest";
import { settleJobs } from "@deepcuts/engine/curation/jobs.ts";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();
type Role = "none" | "listener" | "otherListener" | "curator" | "admin";
const ROLES: Role[] = ["none", "listener", "otherListener", "curator", "admin"];
const RANK = { none: 0, listener: 1, otherListener: 1, curator: 2, admin: 3 } as const;

interface Operation {
  name: string;
  /** Lowest role allowed. */
  min: "none" | "listener" | "curator" | "admin";
  /** Touches listener 0's data: the other listener's key is refused. */
  own?: boolean;
  /** Writes listener 0's data: curators are refused too (they read, they do not act as listeners). */
  write?: boolean;
  /** The error an allowed role gets from this fixture (an id that does not exist). */
  allowedError?: string;
  query: (w: ApiWorld) => [string, Record<string, unknown>];
}

/** A Relay global id as the API issues it: "<Type>:<database id>" in base64url. */
const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString("base64url");

const weights = { collaborative: 1, text: 0.5, audio: 0, popularity: 0.1, novelty: 0 };
const constraints = { playlistSize: 10, artistCap: 3, knownArtistShare: 0.5, diversity: 0.2, excludeSkipped: true };
let serial = 0;

const OPERATIONS: Operation[] = [
  { name: "health", min: "none", query: () => [`{ health { ok } }`, {}] },
  { name: "me", min: "listener", query: () => [`{ me { role } }`, {}] },
  { name: "users", min: "listener", query: () => [`{ users(first:5){ totalCount } }`, {}] },
  {
    name: "node",
    min: "listener",
    own: true,
    query: (w) => [`query($id:ID!){ node(id:$id){ id ... on User { name } } }`, { id: globalId("User", w.userIds[0]) }],
  },
  { name: "nodes", min: "listener", own: true, query: (w) => [`query($ids:[ID!]!){ nodes(ids:$ids){ id } }`, { ids: [globalId("User", w.userIds[0])] }] },
  { name: "user", min: "listener", own: true, query: (w) => [`query($id:Int!){ user(id:$id){ name } }`, { id: w.userIds[0] }] },
  { name: "weeklyPlaylist", min: "listener", own: true, query: (w) => [`query($u:Int!){ weeklyPlaylist(userId:$u){ id: databaseId } }`, { u: w.userIds[0] }] },
  { name: "weeklyPlaylists", min: "listener", own: true, query: (w) => [`query($u:Int!){ weeklyPlaylists(userId:$u){ totalCount } }`, { u: w.userIds[0] }] },
  {
    name: "recordEvents",
    min: "listener",
    own: true,
    write: true,
    query: (w) => [
      `mutation($u:Int!,$e:[EventInput!]!){ recordEvents(userId:$u, events:$e){ recorded } }`,
      { u: w.userIds[0], e: [{ eventId: `roles-${serial++}`, kind: "STREAM", trackId: w.trackIds[110], occurredAt: new Date().toISOString() }] },
    ],
  },
  {
    name: "saveTrack",
    min: "listener",
    own: true,
    write: true,
    query: (w) => [`mutation($u:Int!,$t:Int!){ saveTrack(userId:$u, trackId:$t){ received } }`, { u: w.userIds[0], t: w.trackIds[111] }],
  },
  {
    name: "listeningHistory",
    min: "listener",
    own: true,
    query: (w) => [`query($u:Int!){ listeningHistory(userId:$u, first:5){ totalCount edges{ node{ kind track{ title } } } } }`, { u: w.userIds[0] }],
  },
  {
    name: "topArtists",
    min: "listener",
    own: true,
    query: (w) => [`query($u:Int!){ topArtists(userId:$u){ totalPlays artists{ artist{ name } share } } }`, { u: w.userIds[0] }],
  },
  {
    name: "markNotForMe",
    min: "listener",
    own: true,
    write: true,
    query: (w) => [`mutation($u:Int!,$a:Int!){ markNotForMe(userId:$u, artistId:$a){ received } }`, { u: w.userIds[0], a: w.artistIds[3] }],
  },
  { name: "tracks", min: "curator", query: () => [`{ tracks(first:5){ totalCount } }`, {}] },
  {
    name: "track",
    min: "curator",
    query: (w) => [`query($id:Int!){ track(id:$id){ title audioFeatures{ tempo } topTerms{ term } vectors{ dim } } }`, { id: w.trackIds[0] }],
  },
  { name: "artists", min: "curator", query: () => [`{ artists(search:"artist"){ totalCount } }`, {}] },
  { name: "artist", min: "curator", query: (w) => [`query($id:Int!){ artist(id:$id){ name } }`, { id: w.artistIds[0] }] },
  {
    name: "similarTracks",
    min: "curator",
    query: (w) => [`query($id:Int!){ similarTracks(trackId:$id, model:COLLABORATIVE){ score } }`, { id: w.trackIds[0] }],
  },
  { name: "similarArtists", min: "curator", query: (w) => [`query($id:Int!){ similarArtists(artistId:$id, model:TEXT){ score } }`, { id: w.artistIds[0] }] },
  { name: "similarUsers", min: "curator", query: (w) => [`query($id:Int!){ similarUsers(userId:$id){ score } }`, { id: w.userIds[0] }] },
  {
    name: "similarityGraph",
    min: "curator",
    query: (w) => [`query($id:Int!){ similarityGraph(seeds:[$id], k:2, depth:1){ nodes{ id } } }`, { id: w.trackIds[0] }],
  },
  { name: "vectorProjection", min: "curator", query: () => [`{ vectorProjection(model:COLLABORATIVE, sample:20){ points{ x } } }`, {}] },
  { name: "embeddingProjectorExport", min: "curator", query: () => [`{ embeddingProjectorExport(model:TEXT, sample:5){ rows } }`, {}] },
  { name: "neighbourIndexes", min: "curator", query: () => [`{ neighbourIndexes{ kind } }`, {}] },
  { name: "overview", min: "curator", query: () => [`{ overview{ tracks } }`, {}] },
  { name: "blendConfigs", min: "curator", query: () => [`{ blendConfigs{ totalCount } }`, {}] },
  { name: "activeBlendConfig", min: "curator", query: () => [`{ activeBlendConfig{ version } }`, {}] },
  {
    name: "previewPlaylist",
    min: "curator",
    query: (w) => [
      `query($u:Int!,$w:BlendWeightsInput!,$c:BlendConstraintsInput!){ previewPlaylist(userId:$u, weights:$w, constraints:$c){ status effectiveWeights{ collaborative } items{ track{ title } } } }`,
      { u: w.userIds[2], w: weights, c: constraints },
    ],
  },
  {
    name: "createBlendConfig",
    min: "curator",
    query: () => [
      `mutation($w:BlendWeightsInput!,$c:BlendConstraintsInput!){ createBlendConfig(weights:$w, constraints:$c, note:"matrix"){ id: databaseId } }`,
      { w: weights, c: constraints },
    ],
  },
  { name: "activateBlendConfig", min: "curator", query: () => [`mutation{ activateBlendConfig(id:1){ isActive } }`, {}] },
  { name: "modelVersions", min: "curator", query: () => [`{ modelVersions{ totalCount edges{ node{ kind metrics } } } }`, {}] },
  { name: "job", min: "curator", allowedError: "NOT_FOUND", query: () => [`{ job(id:999999){ status } }`, {}] },
  { name: "jobs", min: "curator", query: () => [`{ jobs{ totalCount } }`, {}] },
  { name: "activateModelVersion", min: "admin", query: (w) => [`mutation($id:Int!){ activateModelVersion(id:$id){ isActive } }`, { id: w.alsVersionId }] },
  { name: "startTraining", min: "admin", query: () => [`mutation{ startTraining(models:[POPULARITY]){ id: databaseId status } }`, {}] },
  { name: "startWeeklyGeneration", min: "admin", query: () => [`mutation{ startWeeklyGeneration{ id: databaseId } }`, {}] },
  { name: "cancelJob", min: "admin", allowedError: "BAD_USER_INPUT", query: () => [`mutation{ cancelJob(id:999999){ status } }`, {}] },
  { name: "apiKeys", min: "admin", query: () => [`{ apiKeys{ totalCount } }`, {}] },
  { name: "createApiKey", min: "admin", query: () => [`mutation{ createApiKey(name:"matrix", role:CURATOR){ key } }`, {}] },
  { name: "revokeApiKey", min: "admin", allowedError: "NOT_FOUND", query: () => [`mutation{ revokeApiKey(id:999999) }`, {}] },
  // Admin or the listener's own key, never a curator's (test/privacy covers a listener deleting itself).
  {
    name: "exportListener",
    min: "listener",
    own: true,
    write: true,
    query: (w) => [`query($u:Int!){ exportListener(userId:$u){ events } }`, { u: w.userIds[0] }],
  },
  // On a listener nobody owns (deleting listener 0 here would take the matrix's keys with it): only an admin gets as far as NOT_FOUND.
  { name: "outcomeMetrics", min: "curator", query: () => [`{ outcomeMetrics(weeks:1){ metric value } }`, {}] },
  { name: "startOutcomeMetrics", min: "curator", query: () => [`mutation{ startOutcomeMetrics{ status } }`, {}] },
  { name: "weeklySummaries", min: "curator", query: () => [`{ weeklySummaries(weeks:1){ weekStart playlists } }`, {}] },
  {
    name: "evaluateBlend",
    min: "curator",
    query: () => [
      `query($w:BlendWeightsInput!,$c:BlendConstraintsInput!){ evaluateBlend(weights:$w, constraints:$c, listeners:5){ listeners } }`,
      { w: weights, c: constraints },
    ],
  },
  { name: "experiments", min: "curator", query: () => [`{ experiments{ name status } }`, {}] },
  { name: "experimentResults", min: "curator", allowedError: "NOT_FOUND", query: () => [`{ experimentResults(id:999999){ verdict } }`, {}] },
  {
    name: "createExperiment",
    min: "curator",
    allowedError: "NOT_FOUND",
    query: () => [`mutation{ createExperiment(input:{ name:"matrix", design:AB, candidateVersion:999999 }){ sampleSize } }`, {}],
  },
  { name: "stopExperiment", min: "curator", allowedError: "NOT_FOUND", query: () => [`mutation{ stopExperiment(id:999999){ status } }`, {}] },
  {
    name: "offPolicyEstimate",
    min: "curator",
    query: () => [`query($w:BlendWeightsInput!){ offPolicyEstimate(weights:$w, weeks:1){ streamRate{ value lower upper n } matchedSlots } }`, { w: weights }],
  },
  { name: "crawlSites", min: "curator", query: () => [`{ crawlSites{ url } }`, {}] },
  { name: "coMentionedArtists", min: "curator", query: (w) => [`query($a:Int!){ coMentionedArtists(artistId:$a){ score } }`, { a: w.artistIds[0] }] },
  {
    name: "addCrawlSite",
    min: "curator",
    query: () => [`mutation($u:String!){ addCrawlSite(url:$u){ url } }`, { u: `https://example.org/feed-${serial++}.xml` }],
  },
  { name: "removeCrawlSite", min: "curator", allowedError: "NOT_FOUND", query: () => [`mutation{ removeCrawlSite(id:999999){ url } }`, {}] },
  { name: "startCrawl", min: "curator", allowedError: "NOT_FOUND", query: () => [`mutation{ startCrawl(siteId:999999){ status } }`, {}] },
  { name: "deleteListener", min: "admin", allowedError: "NOT_FOUND", query: () => [`mutation{ deleteListener(userId:999999){ userId } }`, {}] },
];

function allowed(op: Operation, role: Role): boolean {
  if (role === "none") return op.min === "none";
  if (op.min === "none") return true;
  if (role === "otherListener" && op.own) return false;
  if (role === "curator" && op.write) return false;
  return RANK[role] >= RANK[op.min];
}

describe.each<Target>(["embedded", "postgres"])("role x operation matrix on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  it.skipIf(skip)(`every role gets exactly the operations it may use, and a denial leaks nothing ${skip ? skipPostgres : ""}`, async () => {
    const outcomes: string[] = [];
    for (const op of OPERATIONS) {
      for (const role of ROLES) {
        const [query, variables] = op.query(w);
        const key = role === "none" ? undefined : w.keys[role];
        const r = await gql(w.api.url, query, variables, key);
        const codes = codesOf(r);
        const expectAllowed = allowed(op, role);
        const denied = codes.includes("FORBIDDEN") || codes.includes("UNAUTHENTICATED");
        const wrong = expectAllowed ? codes.length > 0 && !(codes.length === 1 && codes[0] === op.allowedError) : !denied;
        if (wrong)
          outcomes.push(`${op.name} as ${role}: expected ${expectAllowed ? "allowed" : "denied"}, got ${JSON.stringify(r.body.errors ?? r.body.data)}`);
        if (!expectAllowed) {
          expect(codes).toContain(role === "none" ? "UNAUTHENTICATED" : "FORBIDDEN");
          const data = r.body.data;
          // A denied field is null; a denied list of nodes (`nodes`) holds only nulls.
          expect(data == null || Object.values(data).every((v) => v === null || (Array.isArray(v) && v.every((x) => x === null)))).toBe(true);
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  it.skipIf(skip)("the matrix covers every query and mutation the schema offers", async () => {
    const r = await gql(w.api.url, `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`, {}, w.keys.curator);
    const schema = r.body.data!.__schema as { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    const offered = [...schema.queryType.fields, ...schema.mutationType.fields].map((f) => f.name).sort();
    expect(OPERATIONS.map((op) => op.name).sort()).toEqual(offered);
  });

  it.skipIf(skip)("an unknown key is UNAUTHENTICATED even for health; a listener's user list holds only itself", async () => {
    const r = await gql(w.api.url, `{ health { ok } }`, {}, "dc_nope");
    expect(codesOf(r)).toEqual(["UNAUTHENTICATED"]);
    const own = await gql(w.api.url, `{ users { totalCount edges { node { id: databaseId } } } }`, {}, w.keys.listener);
    expect(own.body.data).toEqual({ users: { totalCount: 1, edges: [{ node: { id: w.userIds[0] } }] } });
  });

  it.skipIf(skip)("admin jobs run in the background and finish: training makes a READY popularity version", async () => {
    const started = await gql(w.api.url, `mutation{ startTraining(models:[POPULARITY]){ id: databaseId status } }`, {}, w.keys.admin);
    const id = (started.body.data!.startTraining as { id: number }).id;
    await settleJobs();
    const job = await gql(w.api.url, `query($id:Int!){ job(id:$id){ status done total error result } }`, { id }, w.keys.curator);
    expect(job.body.data!.job).toMatchObject({ status: "SUCCEEDED", error: null });
    const versions = await gql(w.api.url, `{ modelVersions(kind:POPULARITY){ edges{ node{ status isActive metrics } } } }`, {}, w.keys.curator);
    const nodes = (versions.body.data!.modelVersions as { edges: { node: { status: string; isActive: boolean } }[] }).edges.map((e) => e.node);
    expect(nodes.some((n) => n.status === "READY" && n.isActive)).toBe(true);
  });
});
