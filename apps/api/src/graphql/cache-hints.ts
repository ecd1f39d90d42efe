import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloServerPluginCacheControl } from "@apollo/server/plugin/cacheControl";
import { createRequire } from "node:module";
import type {
  ConstDirectiveNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from "graphql";

// graphql's CommonJS entry, the copy type-graphql builds the schema with: its type checks are instanceof checks.
const { getNamedType, isAbstractType, isCompositeType, isObjectType, Kind } = createRequire(import.meta.url)("graphql") as typeof import("graphql");

interface Hint {
  maxAge?: number;
  scope?: "PUBLIC" | "PRIVATE";
  inheritMaxAge?: boolean;
}

/** Apollo's CachePolicy.restrict: the smaller maxAge, PRIVATE over PUBLIC. */
function restrict(policy: Hint, hint: Hint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== "PRIVATE") policy.scope = hint.scope;
}

/** The `@cacheControl` arguments on a type's or field's AST node (applyCachePolicy puts them there), as Apollo's plugin reads them. */
function annotation(directives: readonly ConstDirectiveNode[] | undefined): Hint {
  const directive = directives?.find((d) => d.name.value === "cacheControl");
  const arg = (name: string) => directive?.arguments?.find((a) => a.name.value === name)?.value;
  const [maxAge, scope, inherit] = [arg("maxAge"), arg("scope"), arg("inheritMaxAge")];
  const scopeName = scope?.kind === Kind.ENUM && (scope.value === "PUBLIC" || scope.value === "PRIVATE") ? scope.value : undefined;
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, scope: scopeName };
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined, scope: scopeName };
}

/** The hint one resolved field adds to the answer's policy, by the rules of Apollo's cache-control plugin (no dynamic hints). */
function fieldHint(field: GraphQLField<unknown, unknown>, isRoot: boolean): Hint {
  const policy: Hint = {};
  let inheritMaxAge = false;
  const target = getNamedType(field.type);
  if (isCompositeType(target)) {
    const typeHint = annotation(target.astNode?.directives);
    Object.assign(policy, typeHint.maxAge !== undefined ? { maxAge: typeHint.maxAge } : {}, typeHint.scope ? { scope: typeHint.scope } : {});
    inheritMaxAge = !!typeHint.inheritMaxAge;
  }
  const own = annotation(field.astNode?.directives);
  if (own.inheritMaxAge && policy.maxAge === undefined) {
    inheritMaxAge = true;
    if (own.scope) policy.scope = own.scope;
  } else {
    if (own.maxAge !== undefined) policy.maxAge = own.maxAge;
    if (own.scope) policy.scope = own.scope;
  }
  if (policy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || isRoot)) restrict(policy, { maxAge: 0 });
  return policy;
}

/**
 * The policy of an operation's answer, worked out once from the operation itself, or null when
 * it must be found field by field as the answer is made. Every field the operation could run
 * counts (all fragments, on every type they may apply to), so the policy is never looser than
 * Apollo's per-field one; it equals it when the root fields, which always run in an answer
 * without errors, already give it: then the fields below cannot restrict it further, whichever
 * of them run. An answer with errors is `no-store` either way. `@skip`/`@include` may leave a
 * root field out, so operations with them are resolved field by field.
 */
export function staticCachePolicy(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): Hint | null {
  const all: Hint = {};
  const roots: Hint = {};
  let conditional = false;
  const concrete = (type: GraphQLNamedType): readonly GraphQLObjectType[] =>
    isObjectType(type) ? [type] : isAbstractType(type) ? schema.getPossibleTypes(type) : [];
  const visit = (selectionSet: SelectionSetNode, parents: readonly GraphQLObjectType[], isRoot: boolean): void => {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.some((d) => d.name.value === "skip" || d.name.value === "include")) conditional = true;
      if (selection.kind === Kind.FIELD) {
        // __typename, __schema and __type are answered by graphql-js itself: Apollo gives them no hint.
        if (selection.name.value.startsWith("__")) continue;
        for (const parent of parents) {
          const field = parent.getFields()[selection.name.value];
          if (!field) continue;
          const hint = fieldHint(field, isRoot);
          restrict(all, hint);
          if (isRoot) restrict(roots, hint);
          if (selection.selectionSet) visit(selection.selectionSet, concrete(getNamedType(field.type)), false);
        }
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : undefined;
        const applies = condition ? parents.filter((p) => concrete(condition).includes(p)) : parents;
        visit(fragment.selectionSet, applies, isRoot);
      }
    }
  };
  const rootType = operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : null;
  if (!rootType) return null;
  visit(operation.selectionSet, [rootType], true);
  if (conditional || all.maxAge !== roots.maxAge || all.scope !== roots.scope) return null;
  return all;
}

/**
 * Apollo's cache-control plugin (the `Cache-Control` header from the `@cacheControl` hints),
 * with the per-field work skipped where the answer's policy is known from the operation alone
 * (staticCachePolicy): Apollo's plugin runs a hook on every resolved field, about 250 for a
 * weekly playlist of 30 items. Install it with ApolloServerPluginCacheControlDisabled, which
 * keeps Apollo from adding its own.
 */
export function cacheHintsPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  const perField = ApolloServerPluginCacheControl() as ApolloServerPlugin<Context>;
  const known = new WeakMap<OperationDefinitionNode, Hint | null>();
  return {
    serverWillStart: (service) => perField.serverWillStart!(service),
    async requestDidStart(requestContext) {
      const fieldByField = (await perField.requestDidStart!(requestContext)) ?? {};
      return {
        async executionDidStart(execution) {
          const { operation, document, schema, overallCachePolicy } = execution;
          let policy = known.get(operation);
          if (policy === undefined) {
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
            policy = staticCachePolicy(schema, operation, fragments);
            known.set(operation, policy);
          }
          // A policy someone restricted before execution: Apollo's plugin handles that case itself.
          const untouched = overallCachePolicy.maxAge === undefined && overallCachePolicy.scope === undefined;
          if (policy && untouched) {
            overallCachePolicy.restrict(policy);
            return;
          }
          return fieldByField.executionDidStart?.(execution);
        },
        async willSendResponse(response) {
          await fieldByField.willSendResponse?.(response);
        },
      };
    },
  };
}
