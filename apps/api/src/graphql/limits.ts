import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";
import { createRequire } from "node:module";

// The CommonJS build on purpose: type-graphql builds the schema with graphql's CommonJS entry,
// and the package's ESM build imports graphql/index.mjs, a second copy that rejects that schema.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  "graphql-query-complexity",
) as typeof import("graphql-query-complexity");
// TypeInfo checks the schema's types with instanceof: it must be the copy the schema was built with.
const { TypeInfo, visit, visitWithTypeInfo } = createRequire(import.meta.url)("graphql") as typeof import("graphql");

/** Deepest field nesting a query may have (introspection's own query is 13 deep). */
export const MAX_DEPTH = 12;
/** Largest estimated cost: each field 1, lists multiplied by their page size, heavy fields more. */
export const MAX_COMPLEXITY = 5000;

const limitError = (message: string) => new GraphQLError(message, { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });

function selectionDepth(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let deepest = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith("__")) continue;
      deepest = Math.max(deepest, 1 + selectionDepth(sel.selectionSet, fragments, seen));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, selectionDepth(sel.selectionSet, fragments, seen));
    } else {
      const name = sel.name.value;
      if (seen.has(name) || !fragments[name]) continue;
      deepest = Math.max(deepest, selectionDepth(fragments[name].selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

/** Depth of an operation, following fragment spreads (a cycle counts once). */
export function operationDepth(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): number {
  return selectionDepth(operation.selectionSet, fragments, new Set());
}

/** Validation rule: rejects operations nested deeper than `max`. */
export function depthLimitRule(max = MAX_DEPTH) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = Object.fromEntries(
      context
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    return {
      OperationDefinition(node) {
        const depth = operationDepth(node, fragments);
        if (depth > max) context.reportError(limitError(`query depth ${depth} exceeds the limit of ${max}`));
      },
    };
  };
}

/** Cost of an operation: declared field complexities, else 1 per field. */
export function operationComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName,
    variables,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

const usesVariable = (value: ValueNode): boolean =>
  value.kind === Kind.VARIABLE ||
  (value.kind === Kind.LIST && value.values.some(usesVariable)) ||
  (value.kind === Kind.OBJECT && value.fields.some((f) => usesVariable(f.value)));

/**
 * Whether a variable's value can change the operation's cost: a variable in the arguments of a
 * field whose complexity is a function (of its arguments, such as a page size), or in a
 * directive (`@skip`/`@include` drop fields). Otherwise the cost is the same for every request
 * of the operation, and its verdict can be kept with the parsed operation.
 */
export function costDependsOnVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): boolean {
  const typeInfo = new TypeInfo(schema);
  let depends = false;
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...Object.values(fragments)] };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.arguments?.some((a) => usesVariable(a.value)) && typeof typeInfo.getFieldDef()?.extensions?.complexity === "function") depends = true;
      },
      Directive(node) {
        if (node.arguments?.some((a) => usesVariable(a.value))) depends = true;
      },
    }),
  );
  return depends;
}

/**
 * Checks one operation against both limits; throws GRAPHQL_VALIDATION_FAILED naming the
 * figure. The schema's middleware calls it once per operation before any resolver runs.
 */
export function assertWithinLimits(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): void {
  const depth = operationDepth(operation, fragments);
  if (depth > MAX_DEPTH) throw limitError(`query depth ${depth} exceeds the limit of ${MAX_DEPTH}`);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...Object.values(fragments)] };
  const cost = operationComplexity(schema, document, operation.name?.value, variables);
  if (cost > MAX_COMPLEXITY) throw limitError(`query complexity ${cost} exceeds the limit of ${MAX_COMPLEXITY}`);
}
