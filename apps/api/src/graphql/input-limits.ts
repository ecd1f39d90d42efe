import { createRequire } from "node:module";
import type { GraphQLArgument, GraphQLInputField, GraphQLInputType, GraphQLSchema } from "graphql";
import { checkText, TEXT_LIMITS, TextError, type TextRule } from "@deepcuts/engine/validation/text.ts";
import { badInput } from "./errors.ts";

// graphql's CommonJS entry, the copy type-graphql builds the schema with: under vitest a plain
// import is the ESM copy, whose instanceof checks fail on that schema's types.
const { getNamedType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, isInputObjectType, isListType, isNonNullType } = createRequire(
  import.meta.url,
)("graphql") as typeof import("graphql");

/**
 * The rule of every String argument and input field, by its name: wherever `search` appears it
 * is a search, wherever `eventId` appears an event id. The schema refuses to build with a String
 * argument that has no rule here (assertEveryInputBounded), and each rule is written into the
 * argument's description (describeInputLimits), so the limits the schema states are the ones
 * the middleware enforces.
 */
export const STRING_RULES: Record<string, TextRule> = {
  after: { maxLength: 200 },
  before: { maxLength: 200 },
  search: TEXT_LIMITS.search,
  genre: { ...TEXT_LIMITS.label, required: false },
  name: TEXT_LIMITS.label,
  note: TEXT_LIMITS.note,
  eventId: { ...TEXT_LIMITS.key, maxLength: 100 },
  weekStart: { maxLength: 10 },
  models: { ...TEXT_LIMITS.label, maxLength: 20 },
  url: { maxLength: 2048 },
};

/** Most items of every list argument, by name. */
export const LIST_LIMITS: Record<string, number> = {
  events: 500,
  models: 10,
  seeds: 20,
  ids: 100,
  catchUp: 100,
};

const isStringType = (type: GraphQLInputType) => {
  const named = getNamedType(type);
  return named instanceof GraphQLScalarType && named.name === "String";
};

type InputSlot = { owner: string; name: string; type: GraphQLInputType; description?: string | null };

/** Every argument of every field and every field of every input type. */
function inputSlots(schema: GraphQLSchema): (InputSlot & { target: GraphQLArgument | GraphQLInputField })[] {
  const slots: (InputSlot & { target: GraphQLArgument | GraphQLInputField })[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) slots.push({ owner: type.name, name: field.name, type: field.type, target: field });
    } else if ("getFields" in type && typeof type.getFields === "function") {
      for (const field of Object.values(type.getFields() as Record<string, { args?: readonly GraphQLArgument[] }>)) {
        for (const arg of field.args ?? []) slots.push({ owner: type.name, name: arg.name, type: arg.type, target: arg });
      }
    }
  }
  return slots;
}

/** Throws (at start-up) when a String or list argument has no limit. */
export function assertEveryInputBounded(schema: GraphQLSchema): void {
  const unbounded = inputSlots(schema).filter((s) => (isStringType(s.type) && !STRING_RULES[s.name]) || (isList(s.type) && !LIST_LIMITS[s.name]));
  if (unbounded.length) {
    throw new Error(
      `inputs without a limit (add them to STRING_RULES / LIST_LIMITS in input-limits.ts): ${unbounded.map((s) => `${s.owner}.${s.name}`).join(", ")}`,
    );
  }
}

function isList(type: GraphQLInputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The limit in words, as the schema's descriptions state it. */
export function limitText(name: string, type: GraphQLInputType): string {
  const parts: string[] = [];
  if (isList(type)) parts.push(`At most ${LIST_LIMITS[name]} items.`);
  const rule = isStringType(type) ? STRING_RULES[name] : undefined;
  if (rule) {
    parts.push(
      `${isList(type) ? "Each at most" : "At most"} ${rule.maxLength} characters${rule.multiline ? "; no control characters but tab and line breaks" : ", one line, no control characters"}.`,
    );
  }
  return parts.join(" ");
}

/** Appends each argument's limit to its description (once; the schema is built once per process). */
export function describeInputLimits(schema: GraphQLSchema): void {
  for (const slot of inputSlots(schema)) {
    const limit = limitText(slot.name, slot.type);
    if (slot.name === "after" && !slot.target.description)
      slot.target.description = "A cursor this query returned (an edge's cursor or pageInfo.endCursor), for the same filters and key.";
    if (slot.name === "before" && !slot.target.description)
      slot.target.description = "A cursor this query returned (an edge's cursor or pageInfo.startCursor), for the same filters and key.";
    if (!limit || slot.target.description?.includes(limit)) continue;
    slot.target.description = slot.target.description ? `${slot.target.description.replace(/\.?$/, ".")} ${limit}` : limit;
  }
}

/**
 * Checks the values of a field's arguments against their limits, naming the first bad one as
 * the error's field (`search`, `events[3].eventId`, `models[0]`).
 */
export function checkArgumentValues(args: readonly GraphQLArgument[], values: Record<string, unknown>): void {
  for (const arg of args) checkValue(values[arg.name], arg.type, arg.name, arg.name);
}

function checkValue(value: unknown, type: GraphQLInputType, name: string, path: string): void {
  if (value === null || value === undefined) return;
  const inner = type instanceof GraphQLNonNull ? type.ofType : type;
  if (inner instanceof GraphQLList) {
    const items = Array.isArray(value) ? value : [value];
    const max = LIST_LIMITS[name];
    if (max !== undefined && items.length > max) throw badInput(path, `must hold at most ${max} items, got ${items.length}`);
    items.forEach((item, i) => checkValue(item, inner.ofType, name, `${path}[${i}]`));
    return;
  }
  if (inner instanceof GraphQLInputObjectType) {
    for (const field of Object.values(inner.getFields()))
      checkValue((value as Record<string, unknown>)[field.name], field.type, field.name, `${path}.${field.name}`);
    return;
  }
  if (typeof value === "string" && isStringType(inner)) {
    try {
      checkText(value, path, STRING_RULES[name] ?? { maxLength: 200 });
    } catch (error) {
      if (error instanceof TextError) throw badInput(error.field, error.problem);
      throw error;
    }
  }
}
