import { Field, Float, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";
import { ExperimentArm, ExperimentDesign, ExperimentStatus, ExperimentVerdict } from "./enums.ts";
import { Node } from "./node.type.ts";

@ObjectType({ simpleResolvers: true, description: "A measured value with its confidence interval, and how many units it is over." })
export class Interval {
  @Field(() => Float, { description: "The measured value." }) value!: number;
  @Field(() => Float, { description: "Lower end of the interval." }) lower!: number;
  @Field(() => Float, { description: "Upper end of the interval." }) upper!: number;
  @Field(() => Int, { description: "What the value is over (listeners, unless the field says otherwise)." }) n!: number;
}

@ObjectType({ simpleResolvers: true, description: "The control blend's recent listeners, from which the experiment's sample size was planned." })
export class ExperimentBaseline {
  @Field(() => Float, { description: "Mean over listeners of their stream rate." }) streamRate!: number;
  @Field(() => Float, { description: "Variance over listeners of their stream rate (sizes an A/B test)." }) rateVariance!: number;
  @Field(() => Float, { description: "Mean over listeners of streams / slots squared (sizes interleaving)." }) creditVariance!: number;
  @Field(() => Int, { description: "Listeners measured; 0 when no week was served yet and the widest spread was assumed." }) listeners!: number;
}

@ObjectType({
  implements: Node,
  description: "A comparison of the active blend (control) with a candidate version on real listeners, with a plan fixed when it was created.",
})
export class Experiment {
  @Field(() => Int, {
    name: "databaseId",
    description: "The experiment's database id, as `experimentResults(id:)` and `stopExperiment(id:)` take it (`id` is the global id).",
  })
  id!: number;
  @Field(() => String, { description: "The curator's name for it." }) name!: string;
  @Field(() => ExperimentDesign, { description: "A/B test or team-draft interleaving." }) design!: ExperimentDesign;
  @Field(() => ExperimentStatus, { description: "Whether weekly generation serves it." }) status!: ExperimentStatus;
  @Field(() => Int, { description: "The control: the blend version active when it started." }) controlVersion!: number;
  @Field(() => Int, { description: "The candidate blend version." }) candidateVersion!: number;
  @Field(() => Float, { description: "A/B: share of listeners in the candidate arm (0.5 for interleaving)." }) split!: number;
  @Field(() => Float, { description: "The smallest stream-rate difference (absolute, per served slot) the plan detects with its power." })
  minimumEffect!: number;
  @Field(() => Float, { description: "The test's level: the chance of a false verdict when the blends do not differ." }) alpha!: number;
  @Field(() => Float, { description: "The chance of detecting a difference of minimumEffect." }) power!: number;
  @Field(() => Int, { description: "Listeners needed (both arms together) before the verdict is read: the fixed horizon." }) sampleSize!: number;
  @Field(() => ExperimentBaseline, { description: "What the sample size was planned from." }) baseline!: ExperimentBaseline;
  @Field(() => String, { description: "The name of the key that created it." }) author!: string;
  @Field(() => GraphQLISODateTime, { description: "When it started." }) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: "When it was stopped; null while it runs." }) stoppedAt!: Date | null;
}

@InputType({ description: "A new experiment: the active blend against a saved candidate version." })
export class CreateExperimentInput {
  @Field(() => String, { description: "A name for it (1..500 characters)." }) name!: string;
  @Field(() => ExperimentDesign, { description: "A/B test or team-draft interleaving." }) design!: ExperimentDesign;
  @Field(() => Int, { description: "The saved blend configuration version to compare with the active one." }) candidateVersion!: number;
  @Field(() => Float, { nullable: true, description: "A/B only: share of listeners in the candidate arm, 0.01..0.99 (default 0.5)." }) split?: number | null;
  @Field(() => Float, { nullable: true, description: "Smallest stream-rate difference to detect, in [0.001, 1) (default 0.02)." }) minimumEffect?:
    number | null;
  @Field(() => Float, { nullable: true, description: "The test's level, in [0.0001, 0.5) (default 0.05)." }) alpha?: number | null;
  @Field(() => Float, { nullable: true, description: "Power at minimumEffect, in (0.5, 0.9999] (default 0.8)." }) power?: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "Per-arm online metrics of the experiment's listeners (non-exploration slots, all its weeks), each with its 95% interval over listeners.",
})
export class ExperimentArmMetrics {
  @Field(() => Int, { description: "Listeners with slots from this arm." }) listeners!: number;
  @Field(() => Int, { description: "Slots this arm placed." }) slots!: number;
  @Field(() => Interval, { description: "Listeners who streamed at least one of the arm's slots / listeners (Wilson interval)." }) reach!: Interval;
  @Field(() => Interval, { description: "Mean over listeners of their share of the arm's slots streamed (30 s or more, or a full play)." })
  streamRate!: Interval;
  @Field(() => Interval, { description: "Mean over listeners of their share of the arm's slots saved or added to a playlist." }) saveRate!: Interval;
  @Field(() => Interval, { description: "Mean over listeners of their share of the arm's slots skipped." }) skipRate!: Interval;
  @Field(() => Interval, { description: "Mean over listeners of their share of the arm's slots marked not for me." }) hideRate!: Interval;
}

@ObjectType({ simpleResolvers: true, description: "One arm of an experiment and its metrics." })
export class ExperimentArmResult {
  @Field(() => ExperimentArm, { description: "Which arm." }) arm!: ExperimentArm;
  @Field(() => Int, { description: "The blend version it serves." }) blendVersion!: number;
  @Field(() => ExperimentArmMetrics, { description: "What its listeners did." }) metrics!: ExperimentArmMetrics;
}

@ObjectType({ simpleResolvers: true, description: "How many listeners took part so far." })
export class ExperimentTraffic {
  @Field(() => Int, { description: "Listeners with at least one playlist the experiment shaped." }) listeners!: number;
  @Field(() => Int, { description: "A/B: listeners in the control arm (interleaving: every listener)." }) control!: number;
  @Field(() => Int, { description: "A/B: listeners in the candidate arm (interleaving: every listener)." }) candidate!: number;
  @Field(() => [String], { description: "The listeners' weeks (local Mondays, YYYY-MM-DD) it shaped playlists in." }) weeks!: string[];
}

@ObjectType({ simpleResolvers: true, description: "Team-draft interleaving's preference: per listener, which arm's slots drew more streams." })
export class InterleavingPreference {
  @Field(() => Int, { description: "Listeners whose candidate-placed slots drew more streams." }) wins!: number;
  @Field(() => Int, { description: "Listeners whose control-placed slots drew more streams." }) losses!: number;
  @Field(() => Int, { description: "Listeners with as many streams from each (most often none)." }) ties!: number;
  @Field(() => Interval, { description: "wins / (wins + losses) with its Wilson interval; above 0.5 favours the candidate (n = wins + losses)." })
  winShare!: Interval;
}

@ObjectType({ simpleResolvers: true, description: "The experiment's test, read at its horizon: a two-sided z-test over listeners." })
export class ExperimentTest {
  @Field(() => Interval, {
    description:
      "Candidate minus control, with its interval at 1 - alpha: A/B, the stream-rate difference; interleaving, the mean per-listener credit difference (candidate streams - control streams) / slots, about half the stream-rate difference.",
  })
  effect!: Interval;
  @Field(() => Float, { description: "The z statistic." }) z!: number;
  @Field(() => Float, { description: "Two-sided p-value." }) pValue!: number;
  @Field(() => ExperimentVerdict, { description: "The result at the plan's alpha." }) verdict!: ExperimentVerdict;
}

@ObjectType({ simpleResolvers: true, description: "An experiment's results so far (docs/weekly.md#experiments)." })
export class ExperimentResults {
  @Field(() => Experiment, { description: "The experiment and its plan." }) experiment!: Experiment;
  @Field(() => ExperimentTraffic, { description: "Listeners so far." }) traffic!: ExperimentTraffic;
  @Field(() => Int, { description: "Listeners needed before the verdict (the plan's sample size)." }) sampleSize!: number;
  @Field(() => Boolean, { description: "Whether the traffic reached the sample size: only then is the test read." }) horizonReached!: boolean;
  @Field(() => [ExperimentArmResult], { description: "Control, then candidate." }) arms!: ExperimentArmResult[];
  @Field(() => InterleavingPreference, { nullable: true, description: "Interleaving only: the listeners' preference (null for an A/B test)." })
  preference!: InterleavingPreference | null;
  @Field(() => ExperimentTest, {
    nullable: true,
    description: "The test, once the horizon is reached; null before (a fixed-horizon design gives no early verdict).",
  })
  test!: ExperimentTest | null;
  @Field(() => ExperimentVerdict, { description: "COLLECTING before the horizon, else the test's verdict." }) verdict!: ExperimentVerdict;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "The expected stream rate of a blend nobody was served, estimated from the logged slots by self-normalised inverse propensity scoring (docs/weekly.md#off-policy-estimate).",
})
export class OffPolicyEstimate {
  @Field(() => Interval, { description: "Expected share of the blend's picks streamed, with its 95% interval (n = listeners whose logs it matched)." })
  streamRate!: Interval;
  @Field(() => [String], { description: "The weeks read (YYYY-MM-DD)." }) weeks!: string[];
  @Field(() => Int, { description: "Logged playlists re-ranked." }) playlists!: number;
  @Field(() => Int, { description: "Logged slots read." }) loggedSlots!: number;
  @Field(() => Int, { description: "Logged slots the blend would also have served: the estimate rests on these." }) matchedSlots!: number;
  @Field(() => Int, { description: "Of the matched slots, how many were exploration draws (weighted by 1 / their probability)." }) explorationMatches!: number;
  @Field(() => Float, { description: "(sum of weights)^2 / sum of squared weights: how many equally weighted slots the estimate is worth." })
  effectiveSampleSize!: number;
}
