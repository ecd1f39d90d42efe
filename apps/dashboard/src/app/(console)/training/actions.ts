"use server";

import { redirect } from "next/navigation";
import { ApiError } from "../../../lib/api-error.ts";
import {
  StartTrainingDocument,
  StartWeeklyGenerationDocument,
  type StartTrainingMutationVariables,
  type TrainableModel,
} from "../../../lib/generated/graphql.ts";
import { gql, type Operation } from "../../../lib/graphql.ts";
import { requireSessionKey } from "../../../lib/session.ts";

/** Starting work needs an ADMIN key; the API says FORBIDDEN otherwise and the page explains. */
async function start(mutation: Operation<Record<string, { id: number }>>, variables: Record<string, unknown>): Promise<never> {
  const key = await requireSessionKey();
  let jobId: number;
  try {
    const data = await gql<Record<string, { id: number }>>(mutation, variables, key);
    jobId = Object.values(data)[0].id;
  } catch (error) {
    if (error instanceof ApiError) redirect(`/training?${new URLSearchParams({ error: error.code, message: error.message })}`);
    throw error;
  }
  redirect(`/training?started=${jobId}`);
}

export async function startTraining(form: FormData): Promise<void> {
  // The form names models as `deepcuts train` does (popularity); the API's TrainableModel enum names them POPULARITY.
  const models = form
    .getAll("model")
    .map(String)
    .filter((m) => /^[a-z_]+$/.test(m))
    .map((m) => m.toUpperCase() as TrainableModel);
  if (models.length === 0) redirect(`/training?${new URLSearchParams({ error: "BAD_USER_INPUT", message: "tick at least one model to train" })}`);
  await start(StartTrainingDocument, { models } satisfies StartTrainingMutationVariables);
}

export async function startWeeklyGeneration(): Promise<void> {
  await start(StartWeeklyGenerationDocument, {});
}
