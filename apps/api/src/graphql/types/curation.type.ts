import { GraphQLJSON } from "graphql-scalars";
import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";
import type { BlendConstraints as BlendConstraintsValue, BlendWeights as BlendWeightsValue } from "@deepcuts/models/blend";
import { constraintFields, sourceFields, typedAs, weightDescription } from "./blend-fields.ts";
import { Node } from "./node.type.ts";

import { ApiRole, JobKind, JobStatus, ModelKind, ModelStatus } from "./enums.ts";

export { ApiRole, JobKind, JobStatus, ModelKind };

@ObjectType({ simpleResolvers: true, description: "Weight of each source (0..10); a model not trained yet counts 0." })
export class BlendWeights extends typedAs<BlendWeightsValue>() {}
sourceFields(BlendWeights, (w) => weightDescription(w, false));

@InputType()
export class BlendWeightsInput extends typedAs<BlendWeightsValue>() {}
sourceFields(BlendWeightsInput, (w) => weightDescription(w, true), { input: true });

@ObjectType({ simpleResolvers: true })
export class BlendConstraints extends typedAs<Required<BlendConstraintsValue>>() {}
constraintFields(BlendConstraints, false);

@InputType()
export class BlendConstraintsInput extends typedAs<BlendConstraintsValue>() {}
constraintFields(BlendConstraintsInput, true);

@ObjectType({ implements: Node, description: "A versioned set of blend weights and constraints; exactly one is active." })
export class BlendConfig {
  @Field(() => Int, { name: "databaseId", description: "The configuration's database id, as `activateBlendConfig(id:)` takes it (`id` is the global id)." })
  id!: number;
  @Field(() => Int) version!: number;
  @Field(() => BlendWeights) weights!: BlendWeights;
  @Field(() => BlendConstraints) constraints!: BlendConstraints;
  @Field(() => String) author!: string;
  @Field(() => String) note!: string;
  @Field(() => Boolean) isActive!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType({ implements: Node, description: "A trained model with its parameters and offline metrics." })
export class ModelVersion {
  @Field(() => Int, { name: "databaseId", description: "The version's database id, as `activateModelVersion(id:)` takes it (`id` is the global id)." })
  id!: number;
  @Field(() => ModelKind) kind!: ModelKind;
  @Field(() => ModelStatus, { description: "Where its training stands." }) status!: string; // a ModelStatus value, as the database stores it
  @Field(() => Boolean) isActive!: boolean;
  @Field(() => GraphQLJSON) params!: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: "Offline metrics, e.g. recall@20, ndcg@10." }) metrics!: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: "Loss or metric per iteration." }) history!: unknown;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int) vectorCount!: number;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When it last became the active version of its kind; null if it never was." })
  activatedAt!: Date | null;
}

@ObjectType({
  implements: Node,
  description:
    "Long work (training, analysis, imports, weekly generation) run by a worker process outside the request path; a weekly generation's progress is the sum of its shards'.",
})
export class Job {
  @Field(() => Int, { name: "databaseId", description: "The job's database id, as `job(id:)` and `cancelJob(id:)` take it (`id` is the global id)." })
  id!: number;
  @Field(() => JobKind) kind!: JobKind;
  @Field(() => JobStatus) status!: JobStatus;
  @Field(() => GraphQLJSON) params!: unknown;
  @Field(() => Int) done!: number;
  @Field(() => Int) total!: number;
  @Field(() => String) message!: string;
  @Field(() => GraphQLJSON, { nullable: true }) result!: unknown;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Int, { description: "Attempts so far (retries after a failure or an interrupted worker count)." }) attempts!: number;
  @Field(() => String, { nullable: true, description: "The worker process running it (host:pid), or 'shards' for a run its shards carry." }) owner!:
    string | null;
  @Field(() => Int, { description: "Listener-range shards of a weekly generation run (0 for other jobs)." }) shards!: number;
}

@ObjectType({ implements: Node, description: "An API key; the secret itself is never shown again after creation." })
export class ApiKey {
  @Field(() => Int, { name: "databaseId", description: "The key's database id, as `revokeApiKey(id:)` takes it (`id` is the global id)." }) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "First characters of the key, to recognise it." }) prefix!: string;
  @Field(() => ApiRole) role!: ApiRole;
  @Field(() => Int, { nullable: true }) userId!: number | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: "The secret: shown once, store it now." }) key!: string;
  @Field(() => String) prefix!: string;
  @Field(() => ApiRole) role!: ApiRole;
  @Field(() => Int, { nullable: true }) userId!: number | null;
}

@ObjectType({ description: "The active version of one model kind." })
export class ActiveModel {
  @Field(() => ModelKind) kind!: ModelKind;
  @Field(() => Int) versionId!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType({ description: "The dashboard's front page: catalogue counts, active models and blend." })
export class Overview {
  @Field(() => Int) listeners!: number;
  @Field(() => Int) artists!: number;
  @Field(() => Int) tracks!: number;
  @Field(() => Int) events!: number;
  @Field(() => Int) documents!: number;
  @Field(() => Int) analysedTracks!: number;
  @Field(() => Int) playlists!: number;
  @Field(() => [ActiveModel]) activeModels!: ActiveModel[];
  @Field(() => Int, { nullable: true }) activeBlendVersion!: number | null;
  @Field(() => Int, { description: "Jobs queued or running." }) jobsInFlight!: number;
}
