import { Field, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { ModelKind } from "./curation.type.ts";

@ObjectType({ description: "A model kind's active version changed (activateModelVersion, the CLI, or a training run that activates its result)." })
export class ModelActivation {
  @Field(() => ModelKind, { description: "The model kind whose active version changed." }) kind!: ModelKind;
  @Field(() => Int, { description: "The version now active." }) versionId!: number;
  @Field(() => Int, { nullable: true, description: "The version active before; null when the kind had none." }) previousVersionId!: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When the now active version finished training." }) finishedAt!: Date | null;
}
