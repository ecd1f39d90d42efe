import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, visit, type DocumentNode } from "graphql";
import type { Exposure } from "../config.ts";
import { mayUse } from "../roles/checks.ts";
import type { ApiContext } from "./context.ts";

/** True when the operation asks for `__schema` or `__type` anywhere (`__typename` is not introspection). */
export function asksForIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === "__schema" || node.name.value === "__type") found = true;
    },
  });
  return found;
}

const SUGGESTION = / ?Did you mean(.+?)\?/g;

/**
 * Introspection and "Did you mean ...?" suggestions reveal the schema's names: each is given
 * only to the callers its setting names (DEEPCUTS_INTROSPECTION, DEEPCUTS_FIELD_SUGGESTIONS).
 */
export function exposurePlugin(settings: { introspection: Exposure; fieldSuggestions: Exposure }): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart({ contextValue }) {
      const suggestions = mayUse(settings.fieldSuggestions, contextValue);
      return {
        async didResolveOperation({ document }) {
          if (!mayUse(settings.introspection, contextValue) && asksForIntrospection(document)) {
            const who =
              settings.introspection === "keys" ? "an API key" : settings.introspection === "curators" ? "a curator or admin key" : "nothing: it is turned off";
            throw new GraphQLError(`introspection needs ${who}`, { extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } } });
          }
        },
        async willSendResponse({ response }) {
          if (suggestions || response.body.kind !== "single" || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({ ...e, message: e.message.replace(SUGGESTION, "") }));
        },
      };
    },
  };
}
