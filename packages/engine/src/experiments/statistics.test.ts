import { describe, expect, it } from "vitest";
import { seededRandom } from "@deepcuts/models/core";
import { assignArm } from "./assign.ts";
import { teamDraft } from "./interleave.ts";
import { replicateExperiment, type KnownListener } from "./replicate.ts";
import {
  abSampleSize,
  abTest,
  baselineOf,
  checkPlan,
  FALLBACK_BASELINE,
  interleavingSampleSize,
  interleavingTest,
  PlanFieldError,
  twoSidedP,
  type AbListener,
} from "./statistics.ts";

const SIZE = 30;

/**
 * A population of listeners who differ a lot in how often they open the playlist and in how
 * much they stream (the spread that makes A/B tests expensive). Control tracks are 0..59 and
 * candidate tracks 1000..1059; the candidate's streams `lift` more often.
 */
function population(n: number, lift: number, seed: number): KnownListener[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, id) => {
    const open = 0.5 + 0.45 * random();
    const base = 0.05 + 0.45 * random();
    const control = Array.from({ length: 2 * SIZE }, (_, k) => k);
    const candidate = lift === 0 ? control : control.map((k) => 1000 + k);
    return { id: id + 1, open, control, candidate, stream: (track: number) => Math.min(1, base + (track >= 1000 ? lift : 0)) };
  });
}

describe("experiment statistics", () => {
  it("sizes the fixed horizon from the textbook formulas", () => {
    // sigma^2 0.04, delta 0.02, alpha 0.05, power 0.8: (1.96 + 0.8416)^2 = 7.849; 0.04 x 7.849 / 0.0004 = 784.9 per unit, x (2 + 2) = 3140.
    // simple-statistics' probit is good to about 3 decimals, so the sizes are within 0.3%.
    const baseline = { streamRate: 0.3, rateVariance: 0.04, creditVariance: 0.01, listeners: 100 };
    expect(Math.abs(abSampleSize({ minimumEffect: 0.02, alpha: 0.05, power: 0.8 }, baseline, 0.5) - 3140)).toBeLessThanOrEqual(10);
    // Uneven split: 784.9 x (1/0.8 + 1/0.2) = 4905.6.
    expect(Math.abs(abSampleSize({ minimumEffect: 0.02, alpha: 0.05, power: 0.8 }, baseline, 0.2) - 4906)).toBeLessThanOrEqual(15);
    // Interleaving: 0.01 x 7.849 / 0.01^2 = 784.9.
    expect(Math.abs(interleavingSampleSize({ minimumEffect: 0.02, alpha: 0.05, power: 0.8 }, baseline) - 785)).toBeLessThanOrEqual(3);
    expect(() => abSampleSize({ minimumEffect: 0, alpha: 0.05, power: 0.8 }, baseline, 0.5)).toThrow(/minimumEffect must be in \[0.001, 1\), got 0/);
    expect(() => abSampleSize({ minimumEffect: 0.02, alpha: 1e-320, power: 0.8 }, baseline, 0.5)).toThrow(/alpha must be in \[0.0001, 0.5\), got 1e-320/);
    expect(() => abSampleSize({ minimumEffect: 0.1, alpha: 0.05, power: 0.8 }, baseline, 1)).toThrow(/split/);
    // Each bound is refused as a typed error naming its field, so callers need not read the message.
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof PlanFieldError ? { field: error.field, problem: error.problem, message: error.message } : error;
      }
      return null;
    };
    expect(refusal(() => checkPlan({ minimumEffect: 1, alpha: 0.05, power: 0.8 }))).toEqual({
      field: "minimumEffect",
      problem: "must be in [0.001, 1), got 1",
      message: "minimumEffect must be in [0.001, 1), got 1",
    });
    expect(refusal(() => checkPlan({ minimumEffect: 0.02, alpha: 0.5, power: 0.8 }))).toMatchObject({
      field: "alpha",
      problem: "must be in [0.0001, 0.5), got 0.5",
    });
    expect(refusal(() => checkPlan({ minimumEffect: 0.02, alpha: 0.05, power: 0.5 }))).toMatchObject({
      field: "power",
      problem: "must be in (0.5, 0.9999], got 0.5",
    });
    expect(refusal(() => abSampleSize({ minimumEffect: 0.1, alpha: 0.05, power: 0.8 }, baseline, 0))).toMatchObject({ field: "split" });
    expect(refusal(() => checkPlan({ minimumEffect: 0.02, alpha: 0.05, power: 0.8 }))).toBeNull();
    const b = baselineOf([
      { served: 10, streamed: 2, saved: 0, skipped: 0, hidden: 0 },
      { served: 10, streamed: 4, saved: 0, skipped: 0, hidden: 0 },
    ]);
    expect(b.streamRate).toBeCloseTo(0.3, 12);
    expect(b.rateVariance).toBeCloseTo(0.02, 12);
    expect(b.creditVariance).toBeCloseTo((0.02 + 0.04) / 2, 12);
    // A week served but not answered yet (no streams at all) sizes nothing: the fallback plans for the widest spread.
    const unanswered = baselineOf([
      { served: 30, streamed: 0, saved: 0, skipped: 0, hidden: 0 },
      { served: 30, streamed: 0, saved: 0, skipped: 0, hidden: 0 },
    ]);
    expect(unanswered).toEqual(FALLBACK_BASELINE);
    expect(abSampleSize({ minimumEffect: 0.02, alpha: 0.05, power: 0.8 }, unanswered, 0.5)).toBeGreaterThan(3000);
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 4);
  });

  it("tests A/B listeners with Welch's z and reads the sign of the difference", () => {
    const arm = (a: "CONTROL" | "CANDIDATE", rates: number[]): AbListener[] =>
      rates.map((r) => ({ arm: a, served: 10, streamed: r * 10, saved: 0, skipped: 0, hidden: 0 }));
    const result = abTest([...arm("CONTROL", [0.1, 0.2, 0.3, 0.2]), ...arm("CANDIDATE", [0.5, 0.6, 0.7, 0.6])], 0.05)!;
    expect(result.effect.value).toBeCloseTo(0.4, 12);
    // Both arms have sd 0.0816: se = sqrt(2 x 0.00667 / 4) = 0.0577, z = 6.93.
    expect(result.z).toBeCloseTo(0.4 / Math.sqrt((2 * (0.02 / 3)) / 4), 6);
    expect(result.verdict).toBe("CANDIDATE_BETTER");
    expect(abTest(arm("CONTROL", [0.1, 0.2]), 0.05)).toBeNull();
    expect(interleavingTest([], 0.05)).toBeNull();
  });

  it("assigns listeners stably, in the chosen split, independently per salt", () => {
    const ids = Array.from({ length: 4000 }, (_, i) => i + 1);
    const a = ids.map((id) => assignArm({ id: 7, salt: "s1", split: 0.2 }, id));
    expect(ids.map((id) => assignArm({ id: 7, salt: "s1", split: 0.2 }, id))).toEqual(a);
    const share = a.filter((x) => x === "CANDIDATE").length / ids.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    const b = ids.map((id) => assignArm({ id: 7, salt: "s2", split: 0.2 }, id));
    const both = ids.filter((_, i) => a[i] === "CANDIDATE" && b[i] === "CANDIDATE").length / ids.length;
    expect(both).toBeGreaterThan(0.02);
    expect(both).toBeLessThan(0.06);
  });

  it("team-drafts two rankings fairly under the playlist's constraints", () => {
    const random = seededRandom(3);
    let controlFirst = 0;
    for (let run = 0; run < 200; run++) {
      const drafted = teamDraft([1, 2, 3, 4, 5, 6], [2, 7, 1, 8, 9, 10], 6, random, (row, chosen) => !(row === 9 && chosen.includes(8)));
      expect(new Set(drafted.map((d) => d.row)).size).toBe(6);
      const counts = { CONTROL: 0, CANDIDATE: 0 };
      for (const d of drafted) counts[d.arm]++;
      expect(Math.abs(counts.CONTROL - counts.CANDIDATE)).toBeLessThanOrEqual(1);
      expect(drafted.some((d) => d.row === 9) && drafted.some((d) => d.row === 8)).toBe(false);
      if (drafted[0].arm === "CONTROL") controlFirst++;
      // Each team's picks are in its own order.
      const candidateRows = drafted.filter((d) => d.arm === "CANDIDATE").map((d) => d.row);
      expect(candidateRows).toEqual([2, 7, 1, 8, 9, 10].filter((r) => candidateRows.includes(r)));
    }
    expect(controlFirst).toBeGreaterThan(70);
    expect(controlFirst).toBeLessThan(130);
    // A team with nothing left yields its turns.
    expect(
      teamDraft([1], [2, 3, 4], 4, random, () => true)
        .map((d) => d.row)
        .sort(),
    ).toEqual([1, 2, 3, 4]);
  });

  it("flags a difference in at most 15 of 200 seeded A/A runs at the 5% level, for both designs", () => {
    const listeners = population(400, 0, 11);
    for (const design of ["AB", "INTERLEAVING"] as const) {
      let flagged = 0;
      for (let run = 0; run < 200; run++) {
        const result = replicateExperiment({
          design,
          listeners,
          size: SIZE,
          salt: `aa-${run}`,
          alpha: 0.05,
          sampleSize: listeners.length,
          random: seededRandom(1000 + run),
        });
        expect(result.horizonReached).toBe(true);
        if (result.verdict !== "NO_DIFFERENCE") flagged++;
      }
      expect(flagged, design).toBeLessThanOrEqual(15);
      // The test is not trivially silent either: at least one run in 200 crosses 5% by chance.
      expect(flagged, design).toBeGreaterThan(0);
    }
  });

  it("detects a truly better candidate with both designs, interleaving with fewer listeners", () => {
    const lift = 0.06;
    const listeners = population(1200, lift, 12);
    // The true difference per served slot: the lift, on the slots of listeners who open the playlist.
    const trueEffect = listeners.reduce((a, l) => a + l.open * lift, 0) / listeners.length;
    const plan = { minimumEffect: trueEffect * 0.75, alpha: 0.05, power: 0.8 };
    // The plan's baseline: the control's listeners as served (open x stream per slot).
    const random = seededRandom(5);
    const baseline = baselineOf(
      listeners.map((l) => {
        const opened = random() < l.open;
        let streamed = 0;
        for (const t of l.control.slice(0, SIZE)) if (opened && random() < l.stream(t)) streamed++;
        return { served: SIZE, streamed, saved: 0, skipped: 0, hidden: 0 };
      }),
    );
    const nAb = abSampleSize(plan, baseline, 0.5),
      nIl = interleavingSampleSize(plan, baseline);
    expect(nIl).toBeLessThan(nAb);
    for (const [design, n] of [
      ["AB", nAb],
      ["INTERLEAVING", nIl],
    ] as const) {
      expect(n).toBeLessThanOrEqual(listeners.length);
      let detected = 0;
      for (let run = 0; run < 20; run++) {
        const result = replicateExperiment({
          design,
          listeners: listeners.slice(0, n),
          size: SIZE,
          salt: `d-${run}`,
          alpha: 0.05,
          sampleSize: n,
          random: seededRandom(2000 + run),
        });
        if (result.verdict === "CANDIDATE_BETTER") detected++;
        expect(result.verdict).not.toBe("CONTROL_BETTER");
      }
      // Planned for 80% power at 75% of the true lift: most runs detect it.
      expect(detected, design).toBeGreaterThanOrEqual(15);
    }
  });
});
