import { BLEND_CONSTRAINTS, type ConstraintName } from "@deepcuts/models/blend/weights";
import { WEIGHT_NAMES, type BlendConstraints, type BlendWeights } from "./blend.ts";
import type { SaveBlendConfigMutationVariables } from "./generated/graphql.ts";

/** Every playlist rule, in the blend's one list's order (BLEND_CONSTRAINTS): the editor sends each as `constraints.<name>`. */
export const CONSTRAINT_NAMES = Object.keys(BLEND_CONSTRAINTS) as ConstraintName[];

/** A form field that must hold a number; a RangeError naming the field otherwise. */
export function numberField(form: FormData, name: string): number {
  const entry = form.get(name);
  const raw = typeof entry === "string" ? entry : "";
  const value = Number(raw);
  if (raw === "" || !Number.isFinite(value)) throw new RangeError(`${name} must be a number, got '${raw}'`);
  return value;
}

/**
 * The SaveBlendConfig variables from the editor's save form: every weight and every playlist
 * rule (`weights.<source>`, `constraints.<rule>`, a switch as "true"/"false") and the note, cut
 * to 500 characters. The ranges are the API's to check.
 */
export function saveBlendVariables(form: FormData): SaveBlendConfigMutationVariables {
  const weights = Object.fromEntries(WEIGHT_NAMES.map((n) => [n, numberField(form, `weights.${n}`)])) as unknown as BlendWeights;
  const constraints = Object.fromEntries(
    CONSTRAINT_NAMES.map((n) => [n, BLEND_CONSTRAINTS[n].kind === "boolean" ? form.get(`constraints.${n}`) === "true" : numberField(form, `constraints.${n}`)]),
  ) as unknown as BlendConstraints;
  const noteEntry = form.get("note");
  const note = (typeof noteEntry === "string" ? noteEntry : "").trim().slice(0, 500);
  return { weights, constraints, note };
}
