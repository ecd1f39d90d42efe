"use server";

import { redirect } from "next/navigation";
import { ApiError } from "../../../lib/api-error.ts";
import { WEIGHT_NAMES, type BlendConfig, type BlendConstraints, type BlendWeights } from "../../../lib/blend.ts";
import {
  ActivateBlendConfigDocument,
  SaveBlendConfigDocument,
  type ActivateBlendConfigMutation,
  type ActivateBlendConfigMutationVariables,
  type SaveBlendConfigMutation,
  type SaveBlendConfigMutationVariables,
} from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { requireSessionKey } from "../../../lib/session.ts";

function numberField(form: FormData, name: string): number {
  const entry = form.get(name);
  const raw = typeof entry === "string" ? entry : "";
  const value = Number(raw);
  if (raw === "" || !Number.isFinite(value)) throw new RangeError(`${name} must be a number, got '${raw}'`);
  return value;
}

/** Where to go after an action: the blend page, with a message for the curator. */
function back(params: Record<string, string>): never {
  redirect(`/blend?${new URLSearchParams(params)}`);
}

/** Saves the editor's settings as a new (inactive) version; the API validates the ranges. */
export async function saveBlendConfig(form: FormData): Promise<void> {
  const key = await requireSessionKey();
  const weights = Object.fromEntries(WEIGHT_NAMES.map((n) => [n, numberField(form, `weights.${n}`)])) as unknown as BlendWeights;
  const constraints: BlendConstraints = {
    playlistSize: numberField(form, "constraints.playlistSize"),
    artistCap: numberField(form, "constraints.artistCap"),
    knownArtistShare: numberField(form, "constraints.knownArtistShare"),
    diversity: numberField(form, "constraints.diversity"),
    excludeSkipped: form.get("constraints.excludeSkipped") === "true",
  };
  const noteEntry = form.get("note");
  const note = (typeof noteEntry === "string" ? noteEntry : "").trim().slice(0, 500);
  let saved: BlendConfig;
  try {
    ({ createBlendConfig: saved } = await gql<SaveBlendConfigMutation>(
      SaveBlendConfigDocument,
      { weights, constraints, note } satisfies SaveBlendConfigMutationVariables,
      key,
    ));
  } catch (error) {
    if (error instanceof ApiError) back({ error: `${error.code}: ${error.message}` });
    throw error;
  }
  back({ saved: String(saved.version) });
}

export async function activateBlendConfig(form: FormData): Promise<void> {
  const key = await requireSessionKey();
  const id = numberField(form, "id");
  let activated: { version: number };
  try {
    ({ activateBlendConfig: activated } = await gql<ActivateBlendConfigMutation>(
      ActivateBlendConfigDocument,
      { id } satisfies ActivateBlendConfigMutationVariables,
      key,
    ));
  } catch (error) {
    if (error instanceof ApiError) back({ error: `${error.code}: ${error.message}` });
    throw error;
  }
  back({ activated: String(activated.version) });
}
