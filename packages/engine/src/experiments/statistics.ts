import { errorFunction, mean, sampleVariance } from "simple-statistics";
import { meanOfRates, proportion, zFor, type Estimate } from "../outcomes/intervals.ts";

/**
 * The statistics of experiments, pure functions over per-listener tallies: the product's results
 * (results.ts), the power command and the A/A tests all run these. The listener is the unit
 * (their slots are not independent), and every test is a fixed-horizon two-sided z-test read
 * once, when the traffic reaches the sample size planned up front (docs/weekly.md#experiments).
 */

export const ARMS = ["CONTROL", "CANDIDATE"] as const;
export type Arm = (typeof ARMS)[number];

/** What one listener did with the slots one arm placed (all the listener's experiment weeks together). */
export interface ArmTally {
  served: number;
  streamed: number;
  saved: number;
  skipped: number;
  hidden: number;
}

/** An A/B listener: their arm and their slots' outcomes. */
export interface AbListener extends ArmTally {
  arm: Arm;
}

/** An interleaving listener: the outcomes of the slots each arm placed in their playlists. */
export interface InterleavedListener {
  control: ArmTally;
  candidate: ArmTally;
}

/** The design's plan, fixed when the experiment is created. */
export interface Plan {
  /** Smallest stream-rate difference (absolute, per served slot) to detect. */
  minimumEffect: number;
  alpha: number;
  power: number;
}

/** What the plan was sized from: the control blend's recent listeners. */
export interface Baseline {
  /** Mean over listeners of their stream rate. */
  streamRate: number;
  /** Variance over listeners of their stream rate (the A/B test's spread). */
  rateVariance: number;
  /** Mean over listeners of streams / slots^2: the variance of the interleaving credit difference when arms do not differ. */
  creditVariance: number;
  listeners: number;
}

/** A baseline for a service with no history: the largest spread a rate can have (0.25) and one stream in a 30-slot playlist per listener on average. */
export const FALLBACK_BASELINE: Baseline = { streamRate: 0.5, rateVariance: 0.25, creditVariance: 0.5 / 30, listeners: 0 };

/** A plan value out of its bounds; `field` names it as the API does ("minimumEffect", "alpha", "power", "split"). */
export class PlanFieldError extends RangeError {
  override name = "PlanFieldError";
  constructor(
    readonly field: keyof Plan | "split",
    /** What is wrong, without the field name ("must be in [0.0001, 0.5), got 0.7"). */
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

/**
 * A plan's bounds: beyond them the normal quantiles run off to infinity (alpha 1e-320) or the
 * sample size past any service's listeners (an effect of 1e-9), so they are refused by name.
 */
export function checkPlan(plan: Plan): void {
  if (!(plan.minimumEffect >= 0.001 && plan.minimumEffect < 1)) throw new PlanFieldError("minimumEffect", `must be in [0.001, 1), got ${plan.minimumEffect}`);
  if (!(plan.alpha >= 0.0001 && plan.alpha < 0.5)) throw new PlanFieldError("alpha", `must be in [0.0001, 0.5), got ${plan.alpha}`);
  if (!(plan.power > 0.5 && plan.power <= 0.9999)) throw new PlanFieldError("power", `must be in (0.5, 0.9999], got ${plan.power}`);
}

/**
 * The baseline of per-listener tallies (one ArmTally per listener of the control blend);
 * FALLBACK_BASELINE when fewer than two listeners were served or none streamed anything (no
 * spread to size a plan from: zeros would plan a handful of listeners).
 */
export function baselineOf(listeners: ArmTally[]): Baseline {
  const served = listeners.filter((l) => l.served > 0);
  if (served.length < 2 || served.every((l) => l.streamed === 0)) return FALLBACK_BASELINE;
  const rates = served.map((l) => l.streamed / l.served);
  return {
    streamRate: mean(rates),
    rateVariance: Math.max(sampleVariance(rates), 1e-6),
    creditVariance: Math.max(mean(served.map((l) => l.streamed / (l.served * l.served))), 1e-6),
    listeners: served.length,
  };
}

const zSum = (plan: Plan) => zFor(1 - plan.alpha) + zFor(1 - 2 * (1 - plan.power));

/**
 * Listeners needed in all for an A/B test to detect `minimumEffect` with the plan's power: the
 * two-sample z-test's n = sigma^2 (z_{1-alpha/2} + z_{power})^2 / delta^2 x (1/(1-split) + 1/split).
 */
export function abSampleSize(plan: Plan, baseline: Baseline, split: number): number {
  checkPlan(plan);
  if (!(split > 0 && split < 1)) throw new PlanFieldError("split", `must be in (0, 1), got ${split}`);
  const perUnit = (baseline.rateVariance * zSum(plan) ** 2) / plan.minimumEffect ** 2;
  return Math.ceil(perUnit * (1 / (1 - split) + 1 / split));
}

/**
 * Listeners needed for team-draft interleaving: each listener gives one credit difference
 * d = (candidate streams - control streams) / slots, whose mean is half the stream-rate
 * difference (each arm places half the slots) and whose variance, when the arms do not differ,
 * is streams / slots^2; so n = creditVariance (z_{1-alpha/2} + z_{power})^2 / (delta / 2)^2.
 * Between-listener spread (how often a listener opens the playlist) cancels inside each
 * listener, which is why interleaving needs fewer listeners.
 */
export function interleavingSampleSize(plan: Plan, baseline: Baseline): number {
  checkPlan(plan);
  return Math.ceil((baseline.creditVariance * zSum(plan) ** 2) / (plan.minimumEffect / 2) ** 2);
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  return Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
}

export const VERDICTS = ["COLLECTING", "CANDIDATE_BETTER", "CONTROL_BETTER", "NO_DIFFERENCE"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface TestResult {
  /** Candidate minus control: stream-rate difference (A/B) or mean credit difference (interleaving), with its interval at 1 - alpha. */
  effect: Estimate;
  z: number;
  pValue: number;
  verdict: Exclude<Verdict, "COLLECTING">;
}

function verdictOf(effect: number, pValue: number, alpha: number): TestResult["verdict"] {
  if (pValue >= alpha) return "NO_DIFFERENCE";
  return effect > 0 ? "CANDIDATE_BETTER" : "CONTROL_BETTER";
}

/** Per-arm metrics of listeners' tallies, each with its interval: the listener is the unit. */
export interface ArmMetrics {
  listeners: number;
  slots: number;
  reach: Estimate;
  streamRate: Estimate;
  saveRate: Estimate;
  skipRate: Estimate;
  hideRate: Estimate;
}

export function armMetrics(tallies: ArmTally[], level = 0.95): ArmMetrics {
  const served = tallies.filter((t) => t.served > 0);
  const rate = (f: (t: ArmTally) => number) =>
    meanOfRates(
      served.map((t) => f(t) / t.served),
      level,
    );
  return {
    listeners: served.length,
    slots: served.reduce((a, t) => a + t.served, 0),
    reach: proportion(served.filter((t) => t.streamed > 0).length, served.length, level),
    streamRate: rate((t) => t.streamed),
    saveRate: rate((t) => t.saved),
    skipRate: rate((t) => t.skipped),
    hideRate: rate((t) => t.hidden),
  };
}

/** Welch's two-sample z-test on per-listener stream rates, candidate minus control; null while an arm has fewer than 2 listeners. */
export function abTest(listeners: AbListener[], alpha: number): TestResult | null {
  const rates = (arm: Arm) => listeners.filter((l) => l.arm === arm && l.served > 0).map((l) => l.streamed / l.served);
  const c = rates("CONTROL"),
    t = rates("CANDIDATE");
  if (c.length < 2 || t.length < 2) return null;
  const diff = mean(t) - mean(c);
  const se = Math.sqrt(sampleVariance(t) / t.length + sampleVariance(c) / c.length);
  const z = se > 0 ? diff / se : 0;
  const pValue = se > 0 ? twoSidedP(z) : 1;
  const half = zFor(1 - alpha) * se;
  return { effect: { value: diff, lower: diff - half, upper: diff + half, n: c.length + t.length }, z, pValue, verdict: verdictOf(diff, pValue, alpha) };
}

/** Team-draft interleaving's preference over listeners. */
export interface Preference {
  /** Listeners whose candidate-placed slots drew more streams than the control's, fewer, or as many. */
  wins: number;
  losses: number;
  ties: number;
  /** wins / (wins + losses), with its Wilson interval: above 0.5 means listeners prefer the candidate. */
  winShare: Estimate;
}

export function preferenceOf(listeners: InterleavedListener[], level = 0.95): Preference {
  let wins = 0,
    losses = 0,
    ties = 0;
  for (const l of listeners) {
    if (l.candidate.streamed > l.control.streamed) wins++;
    else if (l.candidate.streamed < l.control.streamed) losses++;
    else ties++;
  }
  return { wins, losses, ties, winShare: proportion(wins, wins + losses, level) };
}

/**
 * The interleaving test: a one-sample z-test that the mean over listeners of
 * d = (candidate streams - control streams) / slots is zero (a listener with no streams counts
 * d = 0). Credit is per listener, not per slot, so one listener's many streams do not count as
 * independent votes.
 */
export function interleavingTest(listeners: InterleavedListener[], alpha: number): TestResult | null {
  const d = listeners
    .filter((l) => l.control.served + l.candidate.served > 0)
    .map((l) => (l.candidate.streamed - l.control.streamed) / (l.control.served + l.candidate.served));
  if (d.length < 2) return null;
  const m = mean(d);
  const se = Math.sqrt(sampleVariance(d) / d.length);
  const z = se > 0 ? m / se : 0;
  const pValue = se > 0 ? twoSidedP(z) : 1;
  const half = zFor(1 - alpha) * se;
  return { effect: { value: m, lower: m - half, upper: m + half, n: d.length }, z, pValue, verdict: verdictOf(m, pValue, alpha) };
}
