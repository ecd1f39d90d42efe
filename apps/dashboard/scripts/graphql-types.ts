/**
 * Generates TypeScript for the dashboard's GraphQL operations from the API's committed schema:
 * for every operation in apps/dashboard/src/graphql/*.graphql, its document (with the fragments
 * it uses) as a string, the type of its answer and the type of its variables, plus the schema's
 * enums and input types. Only the `graphql` package: no code generator dependency.
 *
 *   node --import tsx apps/dashboard/scripts/graphql-types.ts      # rewrites the generated file
 *
 * test/api/dashboard-types.test.ts fails when the file is not what this script would write.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Kind, buildSchema, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, parse, print, typeFromAST, validate,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLInputType, type GraphQLObjectType, type GraphQLOutputType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
export const schemaPath = join(root, "apps/api/schema.graphql");
export const operationsDir = join(root, "apps/dashboard/src/graphql");
export const generatedPath = join(root, "apps/dashboard/src/lib/generated/graphql.ts");

/** How the API's scalars arrive in JSON. */
const SCALARS: Record<string, string> = { Int: "number", Float: "number", String: "string", ID: "string", Boolean: "boolean", DateTimeISO: "string", JSON: "unknown" };

const indent = (depth: number) => "  ".repeat(depth);

function scalarType(name: string): string {
  const ts = SCALARS[name];
  if (!ts) throw new Error(`scalar ${name} has no TypeScript mapping in graphql-types.ts`);
  return ts;
}

/** Fields of a selection set, fragment spreads and inline fragments expanded (the schema has no unions or interfaces). */
function collectFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>) {
  const out: { key: string; name: string; selectionSet?: SelectionSetNode }[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push({ key: sel.alias?.value ?? sel.name.value, name: sel.name.value, selectionSet: sel.selectionSet });
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...collectFields(sel.selectionSet, fragments));
    else {
      const fragment = fragments.get(sel.name.value);
      if (!fragment) throw new Error(`unknown fragment ${sel.name.value}`);
      out.push(...collectFields(fragment.selectionSet, fragments));
    }
  }
  return out;
}

function outputType(type: GraphQLOutputType, selection: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, depth: number): string {
  if (isNonNullType(type)) return outputType(type.ofType, selection, fragments, depth).replace(/ \| null$/, "");
  let ts: string;
  if (isListType(type)) {
    const item = outputType(type.ofType, selection, fragments, depth);
    ts = `Array<${item}>`;
  } else if (isObjectType(type)) {
    if (!selection) throw new Error(`${type.name} needs a selection`);
    ts = objectType(type, selection, fragments, depth);
  } else if (isEnumType(type)) ts = type.name;
  else ts = scalarType(type.name);
  return `${ts} | null`;
}

function objectType(type: GraphQLObjectType, selection: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, depth: number): string {
  const fields = type.getFields();
  const lines = collectFields(selection, fragments).map(({ key, name, selectionSet }) => {
    if (name === "__typename") return `${indent(depth + 1)}${key}: "${type.name}";`;
    const field = fields[name];
    if (!field) throw new Error(`${type.name} has no field ${name}`);
    return `${indent(depth + 1)}${key}: ${outputType(field.type, selectionSet, fragments, depth + 1)};`;
  });
  // A field asked twice (directly and through a fragment) is one property.
  return `{\n${[...new Set(lines)].join("\n")}\n${indent(depth)}}`;
}

function inputType(type: GraphQLInputType): string {
  if (isNonNullType(type)) return inputType(type.ofType).replace(/ \| null$/, "");
  const ts = isListType(type) ? `Array<${inputType(type.ofType)}>` : isEnumType(type) || isInputObjectType(type) ? type.name : scalarType(type.name);
  return `${ts} | null`;
}

/** Fragments an operation uses, directly or through other fragments. */
function usedFragments(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): Set<string> {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD && !seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      usedFragments(fragments.get(sel.name.value)!.selectionSet, fragments, seen);
    } else if (sel.kind !== Kind.FRAGMENT_SPREAD && sel.selectionSet) usedFragments(sel.selectionSet, fragments, seen);
  }
  return seen;
}

function operationCode(schema: GraphQLSchema, op: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): string {
  const name = op.name?.value;
  if (!name) throw new Error("every dashboard operation needs a name");
  const suffix = op.operation === "query" ? "Query" : op.operation === "mutation" ? "Mutation" : "Subscription";
  const root = op.operation === "query" ? schema.getQueryType() : op.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) throw new Error(`the schema has no ${op.operation} type`);
  const document = [print(op), ...[...usedFragments(op.selectionSet, fragments)].sort().map((f) => print(fragments.get(f)!))].join("\n\n");
  const variables = (op.variableDefinitions ?? []).map((v) => {
    const type = typeFromAST(schema, v.type) as GraphQLInputType;
    const optional = !isNonNullType(type) || v.defaultValue !== undefined;
    return `  ${v.variable.name.value}${optional ? "?" : ""}: ${inputType(type)};`;
  });
  return [
    `export const ${name}Document = \`${document}\`;`,
    `export interface ${name}${suffix} ${objectType(root, op.selectionSet, fragments, 0)}`,
    variables.length ? `export interface ${name}Variables {\n${variables.join("\n")}\n}` : `export type ${name}Variables = Record<string, never>;`,
  ].join("\n\n");
}

/** The generated module's text for these operation files. */
export function generate(schemaSdl: string, files: { name: string; text: string }[]): string {
  const schema = buildSchema(schemaSdl);
  const documents: DocumentNode[] = files.map((f) => parse(f.text));
  const merged: DocumentNode = { kind: Kind.DOCUMENT, definitions: documents.flatMap((d) => d.definitions) };
  const errors = validate(schema, merged);
  if (errors.length) throw new Error(`dashboard operations do not match apps/api/schema.graphql:\n${errors.map((e) => `  ${e.message}`).join("\n")}`);
  const fragments = new Map(merged.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const operations = merged.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const named = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith("__")).sort((a, b) => a.name.localeCompare(b.name));
  const enums = named.filter(isEnumType).map((e) => `export type ${e.name} = ${e.getValues().map((v) => `"${v.name}"`).join(" | ")};`);
  const inputs = named.filter(isInputObjectType).map((t) => {
    const fields = Object.values(t.getFields()).map((f) => `  ${f.name}${!isNonNullType(f.type) || f.defaultValue !== undefined ? "?" : ""}: ${inputType(f.type)};`);
    return `export interface ${t.name} {\n${fields.join("\n")}\n}`;
  });
  const fragmentTypes = [...fragments.values()].map((f) => {
    const type = schema.getType(f.typeCondition.name.value);
    if (!isObjectType(type)) throw new Error(`fragment ${f.name.value} is on ${f.typeCondition.name.value}, not an object type`);
    return `export interface ${f.name.value}Fragment ${objectType(type, f.selectionSet, fragments, 0)}`;
  });
  const header = [
    `// Generated by apps/dashboard/scripts/graphql-types.ts from apps/api/schema.graphql and the`,
    `// operations in ${files.map((f) => f.name).join(", ")}.`,
    `// Do not edit: change the .graphql files and rerun node --import tsx apps/dashboard/scripts/graphql-types.ts`,
  ].join("\n");
  return [header, ...enums, ...inputs, ...fragmentTypes, ...operations.map((op) => operationCode(schema, op, fragments))].join("\n\n") + "\n";
}

/** Reads the committed schema and the dashboard's operation files. */
export function generateFromFiles(): string {
  const files = readdirSync(operationsDir).filter((f) => f.endsWith(".graphql")).sort()
    .map((f) => ({ name: relative(root, join(operationsDir, f)), text: readFileSync(join(operationsDir, f), "utf8") }));
  return generate(readFileSync(schemaPath, "utf8"), files);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(generatedPath, generateFromFiles());
  console.log(`wrote ${relative(root, generatedPath)}`);
}
