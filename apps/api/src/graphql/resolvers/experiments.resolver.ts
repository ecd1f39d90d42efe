import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { createExperiment, getExperiment, listExperiments, stopExperiment } from "@deepcuts/engine/experiments/experiments.ts";
import { offPolicyEstimate } from "@deepcuts/engine/experiments/off-policy.ts";
import { experimentResults } from "@deepcuts/engine/experiments/results.ts";
import type { ApiContext } from "../context.ts";
import { badInput } from "../errors.ts";
import { positiveId } from "../pagination.ts";
import { BlendConstraintsInput, BlendWeightsInput } from "../types/curation.type.ts";
import { ExperimentStatus } from "../types/enums.ts";
import { CreateExperimentInput, Experiment, ExperimentResults, OffPolicyEstimate } from "../types/experiments.type.ts";

const MAX_EXPERIMENTS = 100;

/** Online comparison of blend versions, and the off-policy estimate of an unsaved blend. */
@Resolver()
export class ExperimentsResolver {
  @Authorized("CURATOR")
  @Query(() => [Experiment], { description: `Experiments, newest first, optionally only running or stopped ones; at most ${MAX_EXPERIMENTS}.`, complexity: 10 })
  experiments(
    @Ctx() ctx: ApiContext,
    @Arg("status", () => ExperimentStatus, { nullable: true, description: "Only experiments in this state; all when left out." })
    status: ExperimentStatus | null,
    @Arg("first", () => Int, { defaultValue: 20, description: `How many, 1..${MAX_EXPERIMENTS}.` }) first: number,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_EXPERIMENTS) throw badInput("first", `must be 1..${MAX_EXPERIMENTS}, got ${first}`);
    return listExperiments(ctx.db, { status, first });
  }

  @Authorized("CURATOR")
  @Query(() => ExperimentResults, {
    description:
      "An experiment's traffic, per-arm metrics with intervals, interleaving preference and, once its planned sample size is reached, its test and verdict.",
    complexity: 50,
  })
  async experimentResults(@Ctx() ctx: ApiContext, @Arg("id", () => Int, { description: "The experiment's database id." }) id: number) {
    return experimentResults(ctx.db, positiveId(id, "id"));
  }

  @Authorized("CURATOR")
  @Mutation(() => Experiment, {
    description:
      "Starts an experiment comparing the active blend with a saved candidate version; its sample size is planned now from the control's recent listeners. One runs at a time; the next weekly generation serves it. The author is the key's name.",
  })
  async createExperiment(
    @Ctx() ctx: ApiContext,
    @Arg("input", () => CreateExperimentInput, { description: "The design, the candidate and the plan." }) input: CreateExperimentInput,
  ) {
    const key = await ctx.db.prisma.apiKey.findUnique({ where: { id: ctx.viewer!.keyId }, select: { name: true } });
    return createExperiment(ctx.db, {
      name: input.name,
      design: input.design,
      candidateVersion: positiveId(input.candidateVersion, "input.candidateVersion"),
      split: input.split ?? undefined,
      minimumEffect: input.minimumEffect ?? undefined,
      alpha: input.alpha ?? undefined,
      power: input.power ?? undefined,
      author: key?.name ?? `key ${ctx.viewer!.keyId}`,
    });
  }

  @Authorized("CURATOR")
  @Mutation(() => Experiment, { description: "Stops an experiment: later weekly playlists come from the active blend alone. Its results stay readable." })
  async stopExperiment(@Ctx() ctx: ApiContext, @Arg("id", () => Int, { description: "The experiment's database id." }) id: number) {
    await getExperiment(ctx.db, positiveId(id, "id"));
    return stopExperiment(ctx.db, id);
  }

  @Authorized("CURATOR")
  @Query(() => OffPolicyEstimate, {
    description:
      "The expected stream rate of blend weights not saved yet, estimated from the logged slots of the latest weeks (self-normalised inverse propensity scoring), with its interval: shown beside the offline evaluation when tuning a blend.",
    complexity: 200,
  })
  offPolicyEstimate(
    @Ctx() ctx: ApiContext,
    @Arg("weights", () => BlendWeightsInput, { description: "The blend's weights." }) weights: BlendWeightsInput,
    @Arg("constraints", () => BlendConstraintsInput, { nullable: true, description: "Its constraints; the active blend's when left out." })
    constraints: BlendConstraintsInput | null,
    @Arg("weeks", () => Int, { defaultValue: 2, description: "How many of the latest weeks with playlists to read, 1..12." }) weeks: number,
    @Arg("maxPlaylists", () => Int, { defaultValue: 1000, description: "At most this many logged playlists, newest first, 1..5000: each is re-ranked." })
    maxPlaylists: number,
  ) {
    return offPolicyEstimate(ctx.db, { weights: { ...weights }, constraints: constraints ? { ...constraints } : undefined, weeks, maxPlaylists });
  }
}
