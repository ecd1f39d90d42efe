import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import type { OperationDefinitionNode } from "graphql";
import responseCachePlugin from "@apollo/server-plugin-response-cache";
import { InMemoryLRUCache } from "@apollo/utils.keyvaluecache";
import type { ApiContext } from "./context.ts";

const directives = (cacheControl: string | null | undefined) =>
  (cacheControl ?? "")
    .toLowerCase()
    .split(",")
    .map((d) => d.replace(/\s+/g, ""));

/** True when a request's `Cache-Control` asks for a fresh answer (`no-cache`, `no-store` or `max-age=0`: HTTP's own ways). */
export function wantsFreshAnswer(cacheControl: string | null | undefined): boolean {
  return directives(cacheControl).some((d) => d === "no-cache" || d === "no-store" || d === "max-age=0");
}

/** True when a request's `Cache-Control` says its answer must not be stored (`no-store`). */
export function forbidsStoring(cacheControl: string | null | undefined): boolean {
  return directives(cacheControl).includes("no-store");
}

/** The key that asked, or null without one: every stored answer belongs to one key. */
function keyOf(context: GraphQLRequestContext<ApiContext>): string | null {
  const viewer = context.contextValue.viewer;
  return viewer ? `key:${viewer.keyId}` : null;
}

/** Mutations that only add to a listener's history, which no kept answer holds: they leave the cache as it is. */
const HISTORY_ONLY = new Set(["recordEvents", "saveTrack", "markNotForMe"]);

/** True unless every root field of the mutation is one of HISTORY_ONLY (fragments count as anything). */
function mayChangeKeptAnswers(operation: OperationDefinitionNode): boolean {
  return !operation.selectionSet.selections.every((s) => s.kind === "Field" && HISTORY_ONLY.has(s.name.value));
}

/**
 * The API's server-side cache of whole answers (Apollo's response-cache plugin over an LRU of
 * at most `maxBytes` in this process). It keeps the answers whose `Cache-Control` is private
 * (cache-policy.ts: a listener's playlists and profile, 30 s) for that long, and answers the same
 * query with the same variables from the same key with them, without running it. Public answers
 * (the catalogue, similar tracks) are not kept: they follow model activations, which replicas
 * serve within seconds. Nothing is shared between keys. Keys are checked before the cache is
 * read (the request's context), so a revoked key gets no stored answer.
 *
 * Fresher than the 30 s: a request sent with `Cache-Control: no-cache` (or `max-age=0`) runs
 * afresh and its answer replaces the stored one; with `no-store` it runs afresh and nothing is
 * stored. A mutation through this process (blends, models, keys, erasures, jobs) empties its
 * cache, except those that only add listening history (events, saves, "not for me"), which no
 * kept answer holds. Changes made elsewhere (another replica, a job, the CLI) are seen within
 * 30 s, as any client's cache sees them. Null when `maxBytes` is 0.
 */
export function apiResponseCache(maxBytes: number): ApolloServerPlugin<ApiContext> | null {
  if (maxBytes <= 0) return null;
  const cache = new InMemoryLRUCache<string>({ maxSize: maxBytes });
  const answers = responseCachePlugin<ApiContext>({
    cache,
    // Only private answers are stored, and the plugin files those under the session: one key's.
    sessionId: async (context) => keyOf(context),
    shouldReadFromCache: async (context) => !wantsFreshAnswer(context.request.http?.headers.get("cache-control")),
    shouldWriteToCache: async (context) =>
      context.overallCachePolicy.policyIfCacheable()?.scope === "PRIVATE" && !forbidsStoring(context.request.http?.headers.get("cache-control")),
  });
  return {
    async requestDidStart(requestContext) {
      const inner = (await answers.requestDidStart!(requestContext)) ?? {};
      return {
        ...inner,
        async willSendResponse(context) {
          await inner.willSendResponse?.(context);
          const operation = context.operation;
          if (operation?.operation === "mutation" && mayChangeKeptAnswers(operation)) cache.clear();
        },
      };
    },
  };
}
