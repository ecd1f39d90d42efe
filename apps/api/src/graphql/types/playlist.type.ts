import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from "type-graphql";
import { BlendWeights } from "./curation.type.ts";

export enum PlaylistStatus { COMPLETE = "COMPLETE", SHORT = "SHORT", COLD_START = "COLD_START" }
registerEnumType(PlaylistStatus, { name: "PlaylistStatus", description: "SHORT: the catalogue ran out; COLD_START: made from seed artists." });

@ObjectType({ simpleResolvers: true, description: "Each model's normalised contribution to an item's score (null: not used)." })
export class ModelScores {
  @Field(() => Float, { nullable: true }) collaborative!: number | null;
  @Field(() => Float, { nullable: true }) text!: number | null;
  @Field(() => Float, { nullable: true }) audio!: number | null;
  @Field(() => Float, { nullable: true }) popularity!: number | null;
  @Field(() => Float, { nullable: true }) novelty!: number | null;
}

@ObjectType({ description: "One song of a weekly playlist." })
export class PlaylistItem {
  @Field(() => Int, { description: "0-based." }) position!: number;
  @Field(() => Int) trackId!: number;
  @Field(() => Int) durationMs!: number;
  @Field(() => Float) score!: number;
  @Field(() => ModelScores) scores!: ModelScores;
  @Field(() => String, { description: "Why this song is here, in words for the listener." }) reason!: string;
}

@ObjectType({ description: "A listener's playlist for one week, never changed once made." })
export class WeeklyPlaylist {
  @Field(() => Int) id!: number;
  @Field(() => Int) userId!: number;
  @Field(() => String, { description: "The listener's local Monday, YYYY-MM-DD." }) weekStart!: string;
  @Field(() => PlaylistStatus) status!: PlaylistStatus;
  @Field(() => Int, { nullable: true }) blendConfigId!: number | null;
  @Field(() => GraphQLISODateTime) generatedAt!: Date;
}

@ObjectType({ description: "One song of a preview (not stored)." })
export class PreviewItem {
  @Field(() => Int) position!: number;
  @Field(() => Int) trackId!: number;
  @Field(() => Float) score!: number;
  @Field(() => ModelScores) scores!: ModelScores;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: "The playlist a listener would get under unsaved weights; nothing is stored." })
export class PlaylistPreview {
  @Field(() => Int) userId!: number;
  @Field(() => PlaylistStatus) status!: PlaylistStatus;
  @Field(() => [PreviewItem]) items!: PreviewItem[];
  @Field(() => BlendWeights, { description: "The weights actually used: a source whose model is not trained counts 0." }) effectiveWeights!: BlendWeights;
}
