"use server";

import { redirect } from "next/navigation";
import { ApiError } from "../../../lib/api-error.ts";
import {
  CreateExperimentDocument,
  StopExperimentDocument,
  type CreateExperimentMutation,
  type CreateExperimentMutationVariables,
  type ExperimentDesign,
  type StopExperimentMutation,
} from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { requireSessionKey } from "../../../lib/session.ts";

/** Where to go after an action: the experiments page, with a message for the curator. */
function back(params: Record<string, string>): never {
  redirect(`/experiments?${new URLSearchParams(params)}`);
}

/** A number from the form, or undefined when left empty (the API's default applies); the API checks ranges. */
function optionalNumber(form: FormData, name: string): number | undefined {
  const entry = form.get(name);
  const raw = typeof entry === "string" ? entry.trim() : "";
  if (raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) back({ error: `BAD_USER_INPUT: ${name} must be a number, got '${raw}'` });
  return value;
}

/** Starts an experiment of the active blend against the chosen saved version. */
export async function createExperiment(form: FormData): Promise<void> {
  const key = await requireSessionKey();
  const text = (name: string) => {
    const entry = form.get(name);
    return typeof entry === "string" ? entry.trim() : "";
  };
  const design = text("design") === "AB" ? "AB" : "INTERLEAVING";
  const candidateVersion = Number(text("candidateVersion"));
  if (!Number.isInteger(candidateVersion) || candidateVersion < 1) back({ error: "BAD_USER_INPUT: candidateVersion: pick a saved blend version to compare" });
  const input: CreateExperimentMutationVariables["input"] = {
    name: text("name"),
    design: design satisfies ExperimentDesign,
    candidateVersion,
    split: design === "AB" ? optionalNumber(form, "split") : undefined,
    minimumEffect: optionalNumber(form, "minimumEffect"),
    alpha: optionalNumber(form, "alpha"),
    power: optionalNumber(form, "power"),
  };
  let id: number;
  try {
    ({
      createExperiment: { id },
    } = await gql<CreateExperimentMutation>(CreateExperimentDocument, { input } satisfies CreateExperimentMutationVariables, key));
  } catch (error) {
    if (error instanceof ApiError) back({ error: `${error.code}: ${error.message}` });
    throw error;
  }
  back({ id: String(id), created: "1" });
}

export async function stopExperiment(form: FormData): Promise<void> {
  const key = await requireSessionKey();
  const id = Number(form.get("id"));
  try {
    await gql<StopExperimentMutation>(StopExperimentDocument, { id }, key);
  } catch (error) {
    if (error instanceof ApiError) back({ id: String(id), error: `${error.code}: ${error.message}` });
    throw error;
  }
  back({ id: String(id), stopped: "1" });
}
