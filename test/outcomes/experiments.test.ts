import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "@deepcuts/demo";
import { activateBlendConfig, createBlendConfig } from "@deepcuts/engine/curation/blends.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { createExperiment, listExperiments, stopExperiment } from "@deepcuts/engine/experiments/experiments.ts";
import { offPolicyEstimate } from "@deepcuts/engine/experiments/off-policy.ts";
import { experimentResults } from "@deepcuts/engine/experiments/results.ts";
import { meanOfRates } from "@deepcuts/engine/outcomes/intervals.ts";
import { loadSlotResults } from "@deepcuts/engine/outcomes/metrics.ts";
import { simulateDemoListeners } from "@deepcuts/engine/outcomes/simulate.ts";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { defaultBlendConstraints, defaultBlendWeights, type BlendWeights } from "@deepcuts/models/blend";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

// A demo world whose listeners answer playlists from their true taste (packages/demo's simulator).
// The active blend (version 1) ranks by novelty alone; the default blend (version 2), which fits
// taste, is the candidate: truly better (0.13 against 0.08 expected streams per slot on this
// world), so both designs must find it at their planned horizon.
const quietBar = () => ({ callback: () => {}, done: () => {} });
const world = generateWorld({ seed: 31, listeners: 240, artists: 40, tracks: 400, events: 12_000, now: new Date("2026-11-09T00:00:00Z") });
const weekAt = (day: string) => new Date(`${day}T12:00:00Z`);
const noveltyOnly: BlendWeights = { collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 0, novelty: 1 };

describe("experiments and the off-policy estimate on a simulated demo world", () => {
  let t: TestDatabase;
  const simulate = (now: Date) => simulateDemoListeners(t.db, world, { now });

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    await loadDemoWorld(t.db, world);
    await trainModels(t.db, ["popularity", "als"], { threads: 1, progress: quietBar });
    // The served policy explores 8 of 30 slots, so the logs cover more of a candidate's picks.
    const control = await createBlendConfig(t.db, {
      weights: noveltyOnly,
      constraints: { ...defaultBlendConstraints, explorationSlots: 8 },
      author: "test",
      note: "novelty only",
    });
    await createBlendConfig(t.db, {
      weights: { ...defaultBlendWeights },
      constraints: { ...defaultBlendConstraints, explorationSlots: 8 },
      author: "test",
      note: "default",
    });
    await activateBlendConfig(t.db, control.id);
    await generateDuePlaylists(t.db, { now: weekAt("2026-11-11") });
    await simulate(weekAt("2026-11-18"));
  }, 180_000);
  afterAll(async () => {
    await t?.drop();
  });

  it("refuses bad plans with the field named, and changes nothing", async () => {
    const bad = async (input: Partial<Parameters<typeof createExperiment>[1]>, field: string, message?: string) => {
      const error = await createExperiment(t.db, { name: "x", design: "AB", candidateVersion: 2, author: "test", ...input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).field).toBe(field);
      if (message !== undefined) expect((error as ServiceError).message).toBe(message);
    };
    await bad({ split: 1.5 }, "split");
    await bad({ minimumEffect: -1 }, "minimumEffect", "minimumEffect: must be in [0.001, 1), got -1");
    await bad({ alpha: 0.7 }, "alpha", "alpha: must be in [0.0001, 0.5), got 0.7");
    await bad({ power: 1 }, "power", "power: must be in (0.5, 0.9999], got 1");
    await bad({ candidateVersion: 1 }, "candidateVersion");
    await bad({ salt: "two words" }, "salt");
    await bad({ design: "INTERLEAVING", split: 0.3 }, "split");
    await expect(createExperiment(t.db, { name: "x", design: "AB", candidateVersion: 99, author: "test" })).rejects.toThrow(/version 99 not found/);
    expect(await listExperiments(t.db, { first: 10 })).toEqual([]);
  });

  it("detects the better candidate in an A/B test, then in team-draft interleaving with fewer listeners planned", async () => {
    const ab = await createExperiment(t.db, {
      name: "default vs novelty (A/B)",
      design: "AB",
      candidateVersion: 2,
      minimumEffect: 0.04,
      salt: "ab-test",
      author: "test",
    });
    expect(ab).toMatchObject({ design: "AB", status: "RUNNING", controlVersion: 1, candidateVersion: 2, split: 0.5 });
    expect(ab.baseline.listeners).toBeGreaterThan(100);
    await expect(createExperiment(t.db, { name: "second", design: "INTERLEAVING", candidateVersion: 2, author: "test" })).rejects.toThrow(
      /is running: stop it/,
    );
    const early = await experimentResults(t.db, ab.id);
    expect(early).toMatchObject({ verdict: "COLLECTING", test: null, traffic: { listeners: 0 } });

    await generateDuePlaylists(t.db, { now: weekAt("2026-11-18") });
    await simulate(weekAt("2026-11-25"));
    const exposures = await t.db.query<{ arm: string; n: number }>(
      `SELECT arm::text, count(*)::int AS n FROM experiment_exposures WHERE experiment_id = $1 GROUP BY arm ORDER BY arm`,
      [ab.id],
    );
    expect(exposures.map((e) => e.arm)).toEqual(["CANDIDATE", "CONTROL"]);
    // Each A/B listener's slots carry their arm and that arm's blend version.
    const mixed = await t.db.query(
      `SELECT 1 FROM experiment_exposures x JOIN playlist_items i ON i.playlist_id = x.playlist_id
       WHERE x.experiment_id = $1 AND (i.arm IS DISTINCT FROM x.arm OR i.blend_version <> CASE x.arm WHEN 'CANDIDATE' THEN 2 ELSE 1 END)`,
      [ab.id],
    );
    expect(mixed).toHaveLength(0);
    const abResult = await experimentResults(t.db, ab.id);
    expect(abResult.sampleSize).toBeLessThanOrEqual(abResult.traffic.listeners);
    expect(abResult.horizonReached).toBe(true);
    expect(abResult.traffic.control + abResult.traffic.candidate).toBe(abResult.traffic.listeners);
    expect(abResult.verdict).toBe("CANDIDATE_BETTER");
    const [control, candidate] = abResult.arms;
    expect(candidate.metrics.streamRate.value).toBeGreaterThan(control.metrics.streamRate.value);
    expect(abResult.test!.pValue).toBeLessThan(0.05);
    expect(abResult.test!.effect.lower).toBeGreaterThan(0);
    await stopExperiment(t.db, ab.id);

    const il = await createExperiment(t.db, {
      name: "default vs novelty (interleaved)",
      design: "INTERLEAVING",
      candidateVersion: 2,
      minimumEffect: 0.04,
      salt: "interleaving-test",
      author: "test",
    });
    expect(il.sampleSize).toBeLessThan(ab.sampleSize);
    await generateDuePlaylists(t.db, { now: weekAt("2026-11-25") });
    await simulate(weekAt("2026-12-02"));
    // Every interleaved playlist has slots of both arms, and exploration slots of neither.
    const arms = await t.db.query<{ control: number; candidate: number; explored_with_arm: number }>(
      `SELECT count(*) FILTER (WHERE i.arm = 'CONTROL')::int AS control, count(*) FILTER (WHERE i.arm = 'CANDIDATE')::int AS candidate,
              count(*) FILTER (WHERE i.explored AND i.arm IS NOT NULL)::int AS explored_with_arm
       FROM experiment_exposures x JOIN playlist_items i ON i.playlist_id = x.playlist_id WHERE x.experiment_id = $1 GROUP BY x.playlist_id`,
      [il.id],
    );
    expect(arms.length).toBeGreaterThan(200);
    for (const a of arms) {
      expect(Math.abs(a.control - a.candidate)).toBeLessThanOrEqual(2);
      expect(a.explored_with_arm).toBe(0);
    }
    const ilResult = await experimentResults(t.db, il.id);
    expect(ilResult.horizonReached).toBe(true);
    expect(ilResult.verdict).toBe("CANDIDATE_BETTER");
    expect(ilResult.preference!.wins).toBeGreaterThan(ilResult.preference!.losses);
    expect(ilResult.preference!.winShare.lower).toBeGreaterThan(0.5);
    expect((await stopExperiment(t.db, il.id)).status).toBe("STOPPED");
    expect((await listExperiments(t.db, { status: "RUNNING", first: 10 })).length).toBe(0);
  }, 120_000);

  it("estimates an unsaved blend's stream rate from the logs within the interval of its simulated online rate", async () => {
    // A week served by the default blend (version 2, 8 exploration slots of 30) is the log.
    await activateBlendConfig(t.db, (await t.db.prisma.blendConfig.findUniqueOrThrow({ where: { version: 2 } })).id);
    await generateDuePlaylists(t.db, { now: weekAt("2026-12-02") });
    await simulate(weekAt("2026-12-09"));
    // The unsaved blend leans on popularity far more than the served one.
    const weights: BlendWeights = { collaborative: 1, text: 0, audio: 0, coMention: 0, popularity: 0.8, novelty: 0 };
    const constraints = { ...defaultBlendConstraints, explorationSlots: 0 };
    const estimate = await offPolicyEstimate(t.db, { weights, constraints, weeks: 1 });
    expect(estimate.weeks).toEqual(["2026-11-30"]);
    expect(estimate.explorationMatches).toBeGreaterThan(50);
    expect(estimate.streamRate.lower).toBeLessThan(estimate.streamRate.value);
    // Now serve that blend for real and let the simulated listeners answer.
    const served = await createBlendConfig(t.db, { weights, constraints, author: "test", note: "estimated first" });
    await activateBlendConfig(t.db, served.id);
    await generateDuePlaylists(t.db, { now: weekAt("2026-12-09") });
    await simulate(weekAt("2026-12-16"));
    const slots = (await loadSlotResults(t.db, ["2026-12-07"])).filter((s) => s.blendVersion === served.version);
    const perListener = new Map<number, number[]>();
    for (const s of slots) perListener.set(s.userId, [...(perListener.get(s.userId) ?? []), s.streamed ? 1 : 0]);
    const online = meanOfRates([...perListener.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length));
    expect(online.n).toBeGreaterThan(200);
    // The estimate and the online rate are two noisy measures of the same rate: their difference
    // lies within the 95% interval of a difference (half-widths combined in quadrature).
    const halfWidth = (r: { lower: number; upper: number }) => (r.upper - r.lower) / 2;
    expect(Math.abs(estimate.streamRate.value - online.value)).toBeLessThanOrEqual(Math.hypot(halfWidth(estimate.streamRate), halfWidth(online)));
  }, 120_000);
});
