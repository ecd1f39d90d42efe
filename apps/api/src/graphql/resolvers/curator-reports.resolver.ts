import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import { evaluateUnsavedBlend, MAX_VALIDATION_LISTENERS } from "@deepcuts/engine/eval/blend-validation.ts";
import { MAX_SUMMARY_WEEKS, weeklySummaries } from "@deepcuts/engine/curation/weekly-summary.ts";
import type { ApiContext } from "../context.ts";
import { badInput } from "../errors.ts";
import { BlendEvaluation } from "../types/blend-evaluation.type.ts";
import { BlendConstraintsInput, BlendWeightsInput } from "../types/curation.type.ts";
import { WeeklySummary } from "../types/weekly-summary.type.ts";

/** The curator's reports: what each week's playlists did, and what unsaved blend settings would cost. */
@Resolver()
export class CuratorReportsResolver {
  @Authorized("CURATOR")
  @Query(() => [WeeklySummary], {
    description: `The latest weeks that have playlists, newest first: playlists made, catalogue coverage, artists new to listeners, cold-start tracks placed. At most ${MAX_SUMMARY_WEEKS} weeks.`,
    complexity: 20,
  })
  weeklySummaries(
    @Ctx() ctx: ApiContext,
    @Arg("weeks", () => Int, { defaultValue: 8, description: `1..${MAX_SUMMARY_WEEKS}` }) weeks: number,
  ): Promise<WeeklySummary[]> {
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_SUMMARY_WEEKS) throw badInput("weeks", `must be 1..${MAX_SUMMARY_WEEKS}, got ${weeks}`);
    return weeklySummaries(ctx.db, { weeks });
  }

  @Authorized("CURATOR")
  @Query(() => BlendEvaluation, {
    description:
      "Unsaved weights and constraints evaluated on the validation split (recall, catalogue coverage, artist diversity, novelty) beside the active configuration; nothing is stored. Stops after about 5 s and says how many listeners it covered; the first call after a model or the listening changes may answer ready: false while the collaborative model is refitted.",
    complexity: 500,
  })
  evaluateBlend(
    @Ctx() ctx: ApiContext,
    @Arg("weights", () => BlendWeightsInput) weights: BlendWeightsInput,
    @Arg("constraints", () => BlendConstraintsInput) constraints: BlendConstraintsInput,
    @Arg("listeners", () => Int, { defaultValue: 300, description: `Listeners sampled from the validation split, 1..${MAX_VALIDATION_LISTENERS}.` })
    listeners: number,
  ): Promise<BlendEvaluation> {
    return evaluateUnsavedBlend(ctx.db, { ...weights }, { ...constraints }, { listeners });
  }
}
