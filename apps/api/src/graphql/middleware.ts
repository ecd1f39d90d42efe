import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { MiddlewareFn } from "type-graphql";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import type { ApiContext } from "./context.ts";
import { checkArgumentValues } from "./input-limits.ts";
import { assertWithinLimits, costDependsOnVariables } from "./limits.ts";

// Keyed by the execution's variables object: one per request (Apollo reuses a parsed
// operation across requests, and the cost depends on variables such as `first`).
const checked = new WeakMap<object, GraphQLError | null>();
// Keyed by the parsed operation, for operations whose cost no variable changes: checked once.
const checkedOperations = new WeakMap<object, GraphQLError | null>();

function limitsVerdict(info: GraphQLResolveInfo): GraphQLError | null {
  const known = checkedOperations.get(info.operation);
  if (known !== undefined) return known;
  let verdict: GraphQLError | null = null;
  try {
    assertWithinLimits(info.schema, info.operation, info.fragments, info.variableValues);
  } catch (error) {
    verdict = error as GraphQLError;
  }
  if (!costDependsOnVariables(info.schema, info.operation, info.fragments)) checkedOperations.set(info.operation, verdict);
  return verdict;
}

/**
 * Runs around every resolver. It checks every argument against its stated limit (length,
 * control characters, list size) before anything else. On a root field it enforces the depth and complexity
 * limits once per operation (so they hold whichever server hosts the schema), and turns a
 * service's ServiceError into the GraphQLError code it names.
 */
export const apiMiddleware: MiddlewareFn<ApiContext> = async ({ info, args }, next) => {
  const fieldArgs = info.parentType.getFields()[info.fieldName]?.args;
  if (fieldArgs?.length) checkArgumentValues(fieldArgs, args);
  // Nested fields only read loaded rows; services (and their ServiceErrors) run at the root.
  if (info.path.prev !== undefined) return next() as Promise<unknown>;
  let verdict = checked.get(info.variableValues);
  if (verdict === undefined) {
    verdict = limitsVerdict(info);
    checked.set(info.variableValues, verdict);
  }
  if (verdict) throw verdict;
  try {
    return (await next()) as unknown;
  } catch (error) {
    if (error instanceof ServiceError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, ...(error.field ? { field: error.field } : {}) } });
    }
    throw error;
  }
};
