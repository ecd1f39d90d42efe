import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from "type-graphql";

/** GraphQL names (UPPER_CASE) of the engine's metric names (the values). */
export enum OutcomeMetricName {
  REACH = "reach",
  STREAM_RATE = "streamRate",
  SAVE_RATE = "saveRate",
  SKIP_RATE = "skipRate",
  HIDE_RATE = "hideRate",
  HIDES = "hides",
  NEW_ARTIST_STREAM_SHARE = "newArtistStreamShare",
  CAME_BACK = "cameBack",
}
registerEnumType(OutcomeMetricName, {
  name: "OutcomeMetricName",
  description: "A weekly online metric of served playlists (docs/weekly.md#online-metrics).",
  valuesConfig: {
    REACH: { description: "Listeners who streamed at least one track / listeners served." },
    STREAM_RATE: { description: "Mean over listeners of their share of slots streamed." },
    SAVE_RATE: { description: "Mean over listeners of their share of slots saved or added to a playlist." },
    SKIP_RATE: { description: "Mean over listeners of their share of slots skipped." },
    HIDE_RATE: { description: "Mean over listeners of their share of slots marked not for me." },
    HIDES: { description: "Slots marked not for me (a count)." },
    NEW_ARTIST_STREAM_SHARE: { description: "Streams of artists new to the listener / streams." },
    CAME_BACK: { description: "Of the week's reached listeners, the share reached again the next week." },
  },
});

@ObjectType({ description: "One weekly online metric of one blend version and one source, with its 95% confidence interval (docs/weekly.md#online-metrics)." })
export class OutcomeMetric {
  @Field(() => String, { description: "The listeners' local Monday of the playlists measured, YYYY-MM-DD." }) weekStart!: string;
  @Field(() => Int, { description: "The blend configuration version that made the playlists." }) blendVersion!: number;
  @Field(() => String, { description: "all, a source (collaborative, text, audio, popularity, novelty: the one that contributed most to the slot), or exploration." }) source!: string;
  @Field(() => OutcomeMetricName, { description: "Which metric." }) metric!: OutcomeMetricName;
  @Field(() => Float, { description: "The measured value (a share, or a count for HIDES)." }) value!: number;
  @Field(() => Float, { nullable: true, description: "Lower end of the 95% interval." }) lower!: number | null;
  @Field(() => Float, { nullable: true, description: "Upper end of the 95% interval." }) upper!: number | null;
  @Field(() => Int, { description: "What the value is over: listeners (reach, rates, cameBack), streams (newArtistStreamShare), slots (hides)." }) n!: number;
  @Field(() => GraphQLISODateTime, { description: "When the metrics job computed it." }) computedAt!: Date;
}
