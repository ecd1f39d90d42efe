import { Field, Float, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import type { BlendSource } from "@deepcuts/models/blend";
import { sourceFields, typedAs } from "./blend-fields.ts";
import { Track } from "./catalogue.type.ts";
import { BlendWeights } from "./curation.type.ts";
import { Node } from "./node.type.ts";

import { PlaylistStatus } from "./enums.ts";

export { PlaylistStatus };

@ObjectType({ simpleResolvers: true, description: "Each model's normalised contribution to an item's score (null: not used)." })
export class ModelScores extends typedAs<Record<BlendSource, number | null>>() {}
sourceFields(ModelScores, (w) => `Weighted contribution of ${w.description}.`, { nullable: true });

@ObjectType({ simpleResolvers: true, description: "One song of a weekly playlist." })
export class PlaylistItem {
  @Field(() => Int, { description: "0-based." }) position!: number;
  @Field(() => Int) trackId!: number;
  /** Read with the item (listener/playlists.ts), so resolving it costs no lookup. */
  @Field(() => Track) track!: Track;
  @Field(() => Int) durationMs!: number;
  @Field(() => Float) score!: number;
  @Field(() => ModelScores) scores!: ModelScores;
  @Field(() => String, { description: "Why this song is here, in words for the listener." }) reason!: string;
  @Field(() => Int, { nullable: true, description: "The blend version that served the slot (null: made before this was logged)." }) blendVersion!:
    number | null;
  @Field(() => Int, { nullable: true, description: "1-based rank of the track in the blend's candidate list, before diversity re-ranking." }) rank!:
    number | null;
  @Field(() => Boolean, { description: "True when exploration, not the blend, chose the track." }) explored!: boolean;
  @Field(() => Float, {
    nullable: true,
    description: "Probability with which the policy put the track in this slot: 1 for the blend's picks, the sampling probability for an exploration slot.",
  })
  propensity!: number | null;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: "A listener's playlist for one week, never changed once made." })
export class WeeklyPlaylist {
  @Field(() => Int, { name: "databaseId", simple: false, description: "The playlist's database id (`id` is the global id)." }) id!: number;
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
