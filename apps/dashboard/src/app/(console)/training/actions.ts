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
import { modelsToTrain } from "../../../lib/training.ts";

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
  // The form names models as `deepcuts train` does (co-mention); the API's TrainableModel enum names them CO_MENTION.
  let models: TrainableModel[] = [];
  let problem: string | null = null;
  try {
    models = modelsToTrain(form);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problem = error.message;
  }
  // Outside the try: redirect works by throwing.
  if (problem !== null) redirect(`/training?${new URLSearchParams({ error: "BAD_USER_INPUT", message: problem })}`);
  await start(StartTrainingDocument, { models } satisfies StartTrainingMutationVariables);
}

export async function startWeeklyGeneration(): Promise<void> {
  await start(StartWeeklyGenerationDocument, {});
}
