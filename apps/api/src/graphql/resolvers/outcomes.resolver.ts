import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { startOutcomeMetrics } from "@deepcuts/engine/outcomes/jobs.ts";
import { storedMetrics } from "@deepcuts/engine/outcomes/metrics.ts";
import type { ApiContext } from "../context.ts";
import { badInput } from "../errors.ts";
import { positiveId } from "../pagination.ts";
import { Job } from "../types/curation.type.ts";
import { OutcomeMetric } from "../types/outcomes.type.ts";
import type { OutcomeMetricName } from "../types/enums.ts";

const MAX_WEEKS = 52;

/** What listeners did with their playlists, measured per week, blend version and source. */
@Resolver()
export class OutcomesResolver {
  @Authorized("CURATOR")
  @Query(() => [OutcomeMetric], {
    description: `The stored weekly online metrics of the latest weeks (newest first), as the daily METRICS job last computed them; optionally of one blend version. At most ${MAX_WEEKS} weeks.`,
    complexity: 20,
  })
  async outcomeMetrics(
    @Ctx() ctx: ApiContext,
    @Arg("weeks", () => Int, { defaultValue: 8, description: `1..${MAX_WEEKS}` }) weeks: number,
    @Arg("blendVersion", () => Int, { nullable: true, description: "Only this blend configuration version; all versions when left out." })
    blendVersion: number | null,
  ): Promise<OutcomeMetric[]> {
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) throw badInput("weeks", `must be 1..${MAX_WEEKS}, got ${weeks}`);
    const rows = await storedMetrics(ctx.db, { weeks, blendVersion: blendVersion == null ? null : positiveId(blendVersion, "blendVersion") });
    return rows.map((r) => ({ ...r, metric: r.metric as OutcomeMetricName }));
  }

  @Authorized("CURATOR")
  @Mutation(() => Job, {
    description:
      "Recomputes the weekly online metrics now, in the background (the METRICS job also runs daily); returns the job, or the one already queued or running.",
  })
  startOutcomeMetrics(@Ctx() ctx: ApiContext) {
    return startOutcomeMetrics(ctx.db);
  }
}
