import { Arg, Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { activateBlendConfig, activeBlendConfig, createBlendConfig, listBlendConfigs } from "@deepcuts/engine/curation/blends.ts";
import { cancelJob, getJob, listJobs } from "@deepcuts/engine/curation/jobs.ts";
import { activateVersion, listModelVersions, modelVersionsById } from "@deepcuts/engine/curation/model-catalogue.ts";
import { overview } from "@deepcuts/engine/curation/overview.ts";
import { startTraining, startWeeklyGeneration } from "@deepcuts/engine/curation/work.ts";
import type { ApiContext } from "../context.ts";
import { openPage, pageComplexity, PageArgs, positiveId } from "../pagination.ts";
import { BlendConfigConnection, JobConnection, ModelVersionConnection } from "../types/connections.type.ts";
import { TrainableModel } from "../types/enums.ts";
import { BlendConfig, BlendConstraintsInput, BlendWeightsInput, Job, JobKind, JobStatus, ModelKind, ModelVersion, Overview } from "../types/curation.type.ts";

@Resolver()
export class CurationResolver {
  @Authorized("CURATOR")
  @Query(() => Overview, { description: "Catalogue counts, active models and blend, jobs in flight." })
  overview(@Ctx() ctx: ApiContext) {
    return overview(ctx.db);
  }

  @Authorized("CURATOR")
  @Query(() => BlendConfigConnection, { description: "Blend configurations, newest version first.", complexity: pageComplexity })
  async blendConfigs(@Ctx() ctx: ApiContext, @Args(() => PageArgs) paging: PageArgs) {
    const page = openPage(ctx, "blendConfigs", {}, paging);
    return page.connect(await listBlendConfigs(ctx.db, page.keyset));
  }

  @Authorized("CURATOR")
  @Query(() => BlendConfig, { description: "The configuration the weekly generation uses." })
  activeBlendConfig(@Ctx() ctx: ApiContext) {
    return activeBlendConfig(ctx.db);
  }

  @Authorized("CURATOR")
  @Mutation(() => BlendConfig, { description: "Stores a new blend version (inactive until activated); the author is the key's name." })
  async createBlendConfig(
    @Ctx() ctx: ApiContext,
    @Arg("weights", () => BlendWeightsInput) weights: BlendWeightsInput,
    @Arg("constraints", () => BlendConstraintsInput) constraints: BlendConstraintsInput,
    @Arg("note", () => String, { defaultValue: "" }) note: string,
  ) {
    const key = await ctx.db.prisma.apiKey.findUnique({ where: { id: ctx.viewer!.keyId }, select: { name: true } });
    return createBlendConfig(ctx.db, { weights: { ...weights }, constraints: { ...constraints }, note, author: key?.name ?? `key ${ctx.viewer!.keyId}` });
  }

  @Authorized("CURATOR")
  @Mutation(() => BlendConfig, { description: "Makes this configuration the active one." })
  activateBlendConfig(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number) {
    return activateBlendConfig(ctx.db, positiveId(id, "id"));
  }

  @Authorized("CURATOR")
  @Query(() => ModelVersionConnection, { description: "Trained model versions with their metrics, newest first.", complexity: pageComplexity })
  async modelVersions(
    @Ctx() ctx: ApiContext,
    @Arg("kind", () => ModelKind, { nullable: true }) kind: ModelKind | null,
    @Args(() => PageArgs) paging: PageArgs,
  ) {
    const page = openPage(ctx, "modelVersions", { kind }, paging);
    return page.connect(await listModelVersions(ctx.db, { kind: kind ?? null, ...page.keyset }));
  }

  @Authorized("ADMIN")
  @Mutation(() => ModelVersion, { description: "Makes a READY version the active one of its kind; similarity indexes reload." })
  async activateModelVersion(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number) {
    await activateVersion(ctx.db, positiveId(id, "id"));
    return (await modelVersionsById(ctx.db, [id]))[0];
  }

  @Authorized("CURATOR")
  @Query(() => JobConnection, { description: "Training and generation jobs, newest first.", complexity: pageComplexity })
  async jobs(
    @Ctx() ctx: ApiContext,
    @Arg("kind", () => JobKind, { nullable: true }) kind: JobKind | null,
    @Arg("status", () => JobStatus, { nullable: true }) status: JobStatus | null,
    @Args(() => PageArgs) paging: PageArgs,
  ) {
    const page = openPage(ctx, "jobs", { kind, status }, paging);
    return page.connect(await listJobs(ctx.db, { kind: kind ?? null, status: status ?? null, ...page.keyset }));
  }

  @Authorized("CURATOR")
  @Query(() => Job, {
    nullable: true,
    description:
      "One job by database id: poll it for progress (done/total/message) and result, or subscribe with `jobProgress`. Null, with NOT_FOUND in `errors`, when it does not exist.",
  })
  job(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number) {
    return getJob(ctx.db, positiveId(id, "id"));
  }

  @Authorized("ADMIN")
  @Mutation(() => Job, { description: "Starts training in the background; returns the job (or the one already running)." })
  startTraining(
    @Ctx() ctx: ApiContext,
    @Arg("models", () => [TrainableModel], { description: "The models to train, e.g. [POPULARITY]." }) models: TrainableModel[],
  ) {
    return startTraining(ctx.db, models, ctx.threads);
  }

  @Authorized("ADMIN")
  @Mutation(() => Job, {
    description:
      "Stops a queued or running job started through this API: returns it CANCELLED once its work has stopped (waits up to 10 s; poll `job` after that). BAD_USER_INPUT for an unknown or finished job.",
  })
  cancelJob(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number) {
    return cancelJob(ctx.db, positiveId(id, "id"));
  }

  @Authorized("ADMIN")
  @Mutation(() => Job, { description: "Starts making the weekly playlists that are due, in the background." })
  startWeeklyGeneration(@Ctx() ctx: ApiContext) {
    return startWeeklyGeneration(ctx.db);
  }
}
