import { createRequire } from "node:module";
import type { ConstArgumentNode, ConstDirectiveNode, GraphQLSchema } from "graphql";

// graphql's CommonJS entry, the copy type-graphql builds the schema with (one graphql instance).
const { DirectiveLocation, GraphQLBoolean, GraphQLDirective, GraphQLEnumType, GraphQLInt, GraphQLObjectType, Kind } = createRequire(import.meta.url)(
  "graphql",
) as typeof import("graphql");

/**
 * Apollo Server's `@cacheControl` directive. Its cache-control plugin combines the hints of
 * every field in an answer (the smallest maxAge, PRIVATE over PUBLIC) into the answer's
 * `Cache-Control` header; a field returning an object type without a hint makes the answer
 * `no-store`, so anything not listed in CACHE_POLICY is never cached.
 */
export const cacheControlDirective = new GraphQLDirective({
  name: "cacheControl",
  description:
    "How long (seconds) and for whom (PUBLIC: any cache, PRIVATE: the caller's own) an answer holding this type or field may be cached; an answer gets the smallest maxAge of its fields.",
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt, description: "Seconds the answer may be reused." },
    scope: {
      type: new GraphQLEnumType({
        name: "CacheControlScope",
        description: "Who may keep a cached answer.",
        values: {
          PUBLIC: { description: "Any cache, shared ones too (keyed by the request's Authorization: the API sends Vary)." },
          PRIVATE: { description: "Only the caller's own cache (a browser's)." },
        },
      }),
      description: "Who may cache it.",
    },
    inheritMaxAge: { type: GraphQLBoolean, description: "Take the maxAge of the parent field." },
  },
});

interface Hint {
  maxAge?: number;
  scope?: "PUBLIC" | "PRIVATE";
  inheritMaxAge?: boolean;
}

const CATALOGUE: Hint = { maxAge: 60, scope: "PUBLIC" };
const LISTENER: Hint = { maxAge: 30, scope: "PRIVATE" };
/** Listener data that changes with every event sent: private and never stored. */
const LISTENER_LIVE: Hint = { maxAge: 0, scope: "PRIVATE" };

/**
 * The API's cache policy by type name. The catalogue (tracks, artists, their audio features,
 * terms, vectors and neighbours) is the same for every key that may read it: PUBLIC, one
 * minute. A listener's playlists and profile: PRIVATE, 30 s. Listening history and what is
 * derived from it, curation (jobs, models, blends, keys) and every mutation: `no-store`.
 */
export const CACHE_POLICY: Readonly<Record<string, Hint>> = {
  Health: { maxAge: 10, scope: "PUBLIC" },
  Track: CATALOGUE,
  Artist: CATALOGUE,
  AudioFeatures: CATALOGUE,
  TopTerm: CATALOGUE,
  StoredVector: CATALOGUE,
  TrackConnection: CATALOGUE,
  TrackEdge: CATALOGUE,
  ArtistConnection: CATALOGUE,
  ArtistEdge: CATALOGUE,
  SimilarTrack: CATALOGUE,
  SimilarArtist: CATALOGUE,
  SimilarityScores: CATALOGUE,
  PageInfo: { inheritMaxAge: true },
  Viewer: LISTENER,
  User: LISTENER,
  UserConnection: LISTENER,
  UserEdge: LISTENER,
  WeeklyPlaylist: LISTENER,
  WeeklyPlaylistConnection: LISTENER,
  WeeklyPlaylistEdge: LISTENER,
  PlaylistItem: LISTENER,
  ModelScores: LISTENER,
  ListeningEvent: LISTENER_LIVE,
  ListeningEventConnection: LISTENER_LIVE,
  ListeningEventEdge: LISTENER_LIVE,
  TopArtists: LISTENER_LIVE,
  TopArtist: LISTENER_LIVE,
  SimilarUser: LISTENER_LIVE,
};

function directiveNode(hint: Hint): ConstDirectiveNode {
  const args: ConstArgumentNode[] = [];
  const arg = (name: string, value: ConstArgumentNode["value"]) => args.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: name }, value });
  if (hint.maxAge !== undefined) arg("maxAge", { kind: Kind.INT, value: String(hint.maxAge) });
  if (hint.scope) arg("scope", { kind: Kind.ENUM, value: hint.scope });
  if (hint.inheritMaxAge) arg("inheritMaxAge", { kind: Kind.BOOLEAN, value: true });
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: "cacheControl" }, arguments: args };
}

/**
 * Puts the policy's `@cacheControl` hints on the built schema (on the types' AST nodes, where
 * Apollo's plugin reads them), and `@cacheControl(maxAge: 0)` on every mutation, so a mutation's
 * answer is `no-store` whatever type it returns.
 */
export function applyCachePolicy(schema: GraphQLSchema): void {
  for (const [name, hint] of Object.entries(CACHE_POLICY)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLObjectType)) continue;
    const node = type.astNode ?? { kind: Kind.OBJECT_TYPE_DEFINITION, name: { kind: Kind.NAME, value: name } };
    type.astNode = { ...node, directives: [...(node.directives ?? []).filter((d) => d.name.value !== "cacheControl"), directiveNode(hint)] };
  }
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const node = field.astNode ?? {
      kind: Kind.FIELD_DEFINITION,
      name: { kind: Kind.NAME, value: field.name },
      type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: "Mutation" } },
    };
    field.astNode = { ...node, directives: [...(node.directives ?? []), directiveNode({ maxAge: 0 })] };
  }
}
