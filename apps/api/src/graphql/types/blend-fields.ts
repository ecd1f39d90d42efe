import { BLEND_CONSTRAINTS, BLEND_WEIGHTS, type ConstraintName, type ConstraintSpec, type WeightSpec } from "@deepcuts/models/blend/weights";
import { Field, Float, Int } from "type-graphql";

// The blend's GraphQL fields come from the one list in @deepcuts/models/blend/weights.ts: a
// source or rule added there appears in every type below, with its range in the description.

type Target = abstract new () => object;

/** The prototype TypeGraphQL's field decorators record metadata on. */
const prototypeOf = (target: Target) => target.prototype as object;

/**
 * A base class typed as `T` with no fields of its own: the GraphQL classes below extend it, and
 * sourceFields / constraintFields decorate their fields from the list rather than by name.
 */
export const typedAs = <T extends object>() => class {} as new () => T;

/**
 * One Float field per blend source on `target`, described by `describe`. In an input, a source
 * added after clients were written (`absentAs`) may be left out and reads as that value.
 */
export function sourceFields(target: Target, describe: (w: WeightSpec) => string, options: { nullable?: boolean; input?: boolean } = {}): void {
  for (const w of BLEND_WEIGHTS as readonly WeightSpec[]) {
    const optional = options.input && w.absentAs !== undefined ? { nullable: true, defaultValue: w.absentAs } : { nullable: options.nullable };
    Field(() => Float, { ...optional, description: describe(w) })(prototypeOf(target), w.name);
  }
}

/** "Weight of collaborative filtering (ALS, else LMF), 0..10." */
export const weightDescription = (w: WeightSpec, withRange: boolean) => `Weight of ${w.description}${withRange ? `, ${w.min}..${w.max}` : ""}.`;

function constraintDescription(spec: ConstraintSpec): string {
  if (spec.kind === "boolean") return `${spec.description}.`;
  return `${spec.description}, ${spec.min}..${spec.max} (default ${spec.default}).`;
}

/** One field per playlist rule on `target`: Int, Float or Boolean as the rule is; explorationSlots may be left out of an input. */
export function constraintFields(target: Target, input: boolean): void {
  for (const [name, spec] of Object.entries(BLEND_CONSTRAINTS) as [ConstraintName, ConstraintSpec][]) {
    const type = spec.kind === "integer" ? Int : spec.kind === "number" ? Float : Boolean;
    const optional = input && name === "explorationSlots" ? { nullable: true, defaultValue: spec.default } : {};
    Field(() => type, { ...optional, description: constraintDescription(spec) })(prototypeOf(target), name);
  }
}
