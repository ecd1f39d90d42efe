"use server";

import { redirect } from "next/navigation";
import { ApiError } from "../../../lib/api-error.ts";
import { StartOutcomeMetricsDocument, type StartOutcomeMetricsMutation } from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { requireSessionKey } from "../../../lib/session.ts";

/** Queues the METRICS job (or finds the one in flight); the page then shows its status. */
export async function recomputeOutcomeMetrics(): Promise<void> {
  const key = await requireSessionKey();
  let jobId: number;
  try {
    ({
      startOutcomeMetrics: { id: jobId },
    } = await gql<StartOutcomeMetricsMutation>(StartOutcomeMetricsDocument, {}, key));
  } catch (error) {
    if (error instanceof ApiError) redirect(`/outcomes?${new URLSearchParams({ error: `${error.code}: ${error.message}` })}`);
    throw error;
  }
  redirect(`/outcomes?started=${jobId}`);
}
