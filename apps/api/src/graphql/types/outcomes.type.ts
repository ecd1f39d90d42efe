import { Field, Float, GraphQLISODateTime, Int, ObjectType } from "type-graphql";
import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
import { OutcomeMetricName } from "./enums.ts";

@ObjectType({ description: "One weekly online metric of one blend version and one source, with its 95% confidence interval (docs/weekly.md#online-metrics)." })
export class OutcomeMetric {
  @Field(() => String, { description: "The listeners' local Monday of the playlists measured, YYYY-MM-DD." }) weekStart!: string;
  @Field(() => Int, { description: "The blend configuration version that made the playlists." }) blendVersion!: number;
  @Field(() => String, {
    description: `all, a source (${BLEND_SOURCES.join(", ")}: the one that contributed most to the slot), or exploration.`,
  })
  source!: string;
  @Field(() => OutcomeMetricName, { description: "Which metric." }) metric!: OutcomeMetricName;
  @Field(() => Float, { description: "The measured value (a share, or a count for HIDES)." }) value!: number;
  @Field(() => Float, { nullable: true, description: "Lower end of the 95% interval." }) lower!: number | null;
  @Field(() => Float, { nullable: true, description: "Upper end of the 95% interval." }) upper!: number | null;
  @Field(() => Int, { description: "What the value is over: listeners (reach, rates, cameBack), streams (newArtistStreamShare), slots (hides)." }) n!: number;
  @Field(() => GraphQLISODateTime, { description: "When the metrics job computed it." }) computedAt!: Date;
}
