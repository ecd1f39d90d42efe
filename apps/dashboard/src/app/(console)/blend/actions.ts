"use server";

import { redirect } from "next/navigation";
import { ApiError } from "../../../lib/api-error.ts";
import type { BlendConfig } from "../../../lib/blend.ts";
import { numberField, saveBlendVariables } from "../../../lib/blend-form.ts";
import {
  ActivateBlendConfigDocument,
  SaveBlendConfigDocument,
  type ActivateBlendConfigMutation,
  type ActivateBlendConfigMutationVariables,
  type SaveBlendConfigMutation,
} from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { requireSessionKey } from "../../../lib/session.ts";

/** Where to go after an action: the blend page, with a message for the curator. */
function back(params: Record<string, string>): never {
  redirect(`/blend?${new URLSearchParams(params)}`);
}

/** Saves the editor's settings as a new (inactive) version; the API validates the ranges. */
export async function saveBlendConfig(form: FormData): Promise<void> {
  const key = await requireSessionKey();
  const variables = saveBlendVariables(form);
  let saved: BlendConfig;
  try {
    ({ createBlendConfig: saved } = await gql<SaveBlendConfigMutation>(SaveBlendConfigDocument, variables, key));
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
