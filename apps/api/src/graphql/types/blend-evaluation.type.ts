import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "What a blend's playlists are worth on the validation split (docs/dashboard.md#blend)." })
export class BlendValidationMetrics {
  @Field(() => Float, {
    description: "Mean over listeners of held-out tracks in the playlist / min(playlist size, held-out tracks): recall@30 at the default size.",
  })
  recall!: number;
  @Field(() => Float, { description: "Distinct tracks in the evaluated playlists / tracks in the catalogue." }) coverage!: number;
  @Field(() => Float, { description: "Mean over playlists of distinct artists / tracks." }) artistDiversity!: number;
  @Field(() => Float, {
    description: "Mean self-information of the tracks placed in bits (-log2 of the share of listeners who played each): higher is less mainstream.",
  })
  novelty!: number;
}

@ObjectType({ description: "Unsaved blend settings evaluated on the validation split beside the active configuration, on the same listeners." })
export class BlendEvaluation {
  @Field(() => Boolean, {
    description:
      "False while the validation split is still being prepared (the collaborative model refitted on its training part) when the time budget ran out: ask again in a few seconds; candidate and active are null.",
  })
  ready!: boolean;
  @Field(() => BlendValidationMetrics, { nullable: true, description: "The unsaved weights and constraints; null while not ready." })
  candidate!: BlendValidationMetrics | null;
  @Field(() => BlendValidationMetrics, { nullable: true, description: "The active configuration, on the same listeners; null while not ready." })
  active!: BlendValidationMetrics | null;
  @Field(() => Int, { description: "Version of the active configuration." }) activeVersion!: number;
  @Field(() => Int, { description: "The candidate's playlist size (the k of recall@k)." }) playlistSize!: number;
  @Field(() => Int, { description: "Listeners evaluated, each with held-out listening." }) listeners!: number;
  @Field(() => Int, { description: "Listeners in the sample asked for." }) sampled!: number;
  @Field(() => Boolean, { description: "False when the time budget ran out before the whole sample was evaluated." }) complete!: boolean;
  @Field(() => Int, { nullable: true, description: "The active collaborative version whose parameters were refitted on the training part; null without one." })
  collaborativeVersion!: number | null;
  @Field(() => Int, { description: "Held-out listener-track pairs in the validation split." }) heldOutTracks!: number;
  @Field(() => Float, { description: "Seconds the evaluation took." }) seconds!: number;
}
