import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld, type ListenerSimulator } from "@deepcuts/demo";
import { activateBlendConfig, createBlendConfig } from "@deepcuts/engine/curation/blends.ts";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { startWorker } from "@deepcuts/engine/jobs/worker.ts";
import { startOutcomeMetrics, startSimulation } from "@deepcuts/engine/outcomes/jobs.ts";
import { computeOutcomeMetrics, loadSlotResults, slotSource, storedMetrics } from "@deepcuts/engine/outcomes/metrics.ts";
import { simulateDemoListeners } from "@deepcuts/engine/outcomes/simulate.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { defaultBlendConstraints } from "@deepcuts/models/blend";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
const quietBar = () => ({ callback: () => {}, done: () => {} });
const world = generateWorld({ seed: 21, listeners: 160, artists: 40, tracks: 400, events: 10_000, now: new Date("2026-11-16T00:00:00Z") });
const week1 = new Date("2026-11-18T12:00:00Z"),
  week2 = new Date("2026-11-25T12:00:00Z");

interface Served {
  week: string;
  userId: number;
  userKey: string;
  trackKey: string;
  blendVersion: number;
  source: string;
}

/** Mean over listeners of the mean over their slots of f: the population value the metric estimates. */
function truth(slots: Served[], f: (s: Served) => number): number {
  const per = new Map<number, number[]>();
  for (const s of slots) per.set(s.userId, [...(per.get(s.userId) ?? []), f(s)]);
  const rates = [...per.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}

describe.each<Target>(["embedded", "postgres"])("weekly online metrics on a simulated demo world (%s)", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let simulator: ListenerSimulator;
  let served: Served[];

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    await loadDemoWorld(t.db, world);
    await trainModels(t.db, ["popularity", "als"], { threads: 1, progress: quietBar });
    // Week 1 under the default blend; week 2 under a popularity-only blend, which fits taste worse.
    await generateDuePlaylists(t.db, { now: week1 });
    simulator = (await simulateDemoListeners(t.db, world, { now: week2 })).simulator;
    const v2 = await createBlendConfig(t.db, {
      weights: { collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 1, novelty: 0 },
      constraints: { ...defaultBlendConstraints },
      author: "test",
      note: "popularity only",
    });
    await activateBlendConfig(t.db, v2.id);
    await generateDuePlaylists(t.db, { now: week2 });
    const sim = await simulateDemoListeners(t.db, world, { now: week2 });
    expect(sim.recorded).toBeGreaterThan(0);
    const keys = new Map((await t.db.query<{ id: number; external_key: string }>(`SELECT id, external_key FROM users`)).map((u) => [u.id, u.external_key]));
    const tracks = await t.db.query(`SELECT 1 FROM playlist_items`);
    // Every served slot has one result row.
    expect(await loadSlotResults(t.db, ["2026-11-16", "2026-11-23"])).toHaveLength(tracks.length);
    const rows = await t.db.query<{
      week: string;
      user_id: number;
      track_key: string;
      blend_version: number;
      explored: boolean;
      scores: Record<string, number>;
    }>(
      `SELECT to_char(p.week_start, 'YYYY-MM-DD') AS week, p.user_id, t.external_key AS track_key, i.blend_version, i.explored, i.scores
       FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id JOIN tracks t ON t.id = i.track_id`,
    );
    served = rows.map((r) => ({
      week: r.week,
      userId: r.user_id,
      userKey: keys.get(r.user_id)!,
      trackKey: r.track_key,
      blendVersion: r.blend_version,
      source: slotSource(r),
    }));
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)(
    `measures stream rates whose intervals hold the simulator's true rates, and ranks blends and sources as the truth does ${skip ? skipPostgres : ""}`,
    async () => {
      const report = await computeOutcomeMetrics(t.db);
      expect(report.weeks.sort()).toEqual(["2026-11-16", "2026-11-23"]);
      const metrics = await storedMetrics(t.db);
      const get = (blendVersion: number, source: string, metric: string) =>
        metrics.find((m) => m.blendVersion === blendVersion && m.source === source && m.metric === metric);

      const versions = [...new Set(served.map((s) => s.blendVersion))].sort();
      expect(versions).toHaveLength(2);
      const trueRate = new Map<number, number>();
      for (const v of versions) {
        const slots = served.filter((s) => s.blendVersion === v);
        const m = get(v, "all", "streamRate")!;
        const truthValue = truth(slots, (s) => simulator.expectedStream(s.userKey, s.trackKey));
        trueRate.set(v, truthValue);
        expect(m.lower!).toBeLessThanOrEqual(truthValue);
        expect(m.upper!).toBeGreaterThanOrEqual(truthValue);
        // Reach: P(at least one stream) = open x (1 - prod(1 - stream)) per listener.
        const perUser = new Map<string, number>();
        for (const s of slots) perUser.set(s.userKey, (perUser.get(s.userKey) ?? 1) * (1 - simulator.streamProbability(s.userKey, s.trackKey)));
        const reachTruth = [...perUser].reduce((a, [u, none]) => a + simulator.openProbability(u) * (1 - none), 0) / perUser.size;
        const reach = get(v, "all", "reach")!;
        expect(reach.lower!).toBeLessThanOrEqual(reachTruth);
        expect(reach.upper!).toBeGreaterThanOrEqual(reachTruth);
      }
      // The blend the simulated listeners truly prefer measures higher.
      const [a, b] = versions;
      expect(Math.abs(trueRate.get(a)! - trueRate.get(b)!)).toBeGreaterThan(0.03);
      expect(Math.sign(get(a, "all", "streamRate")!.value - get(b, "all", "streamRate")!.value)).toBe(Math.sign(trueRate.get(a)! - trueRate.get(b)!));

      // Per source in week 1: every group with enough listeners holds its truth; the truly favoured
      // source (the blend's collaborative picks) streams more than random exploration from the pool.
      const v1 = versions[0];
      const bySource = new Map<string, number>();
      for (const source of new Set(served.filter((s) => s.blendVersion === v1).map((s) => s.source))) {
        const slots = served.filter((s) => s.blendVersion === v1 && s.source === source);
        const m = get(v1, source, "streamRate")!;
        const truthValue = truth(slots, (s) => simulator.expectedStream(s.userKey, s.trackKey));
        bySource.set(source, truthValue);
        if (m.n >= 30) {
          expect(m.lower!).toBeLessThanOrEqual(truthValue);
          expect(m.upper!).toBeGreaterThanOrEqual(truthValue);
        }
      }
      expect(bySource.get("collaborative")!).toBeGreaterThan(bySource.get("exploration")!);
      expect(get(v1, "collaborative", "streamRate")!.value).toBeGreaterThan(get(v1, "exploration", "streamRate")!.value);

      // Came back: of week 1's reached listeners, the share reached again in week 2.
      const cameBack = get(v1, "all", "cameBack")!;
      expect(cameBack.n).toBeGreaterThan(50);
      expect(cameBack.value).toBeGreaterThan(0.3);
      expect(get(versions[1], "all", "cameBack")).toBeUndefined();
      for (const m of metrics) if (m.metric !== "hides") expect(m.lower! <= m.value && m.value <= m.upper!).toBe(true);
      const news = get(v1, "all", "newArtistStreamShare")!;
      expect(news.value).toBeGreaterThan(0);
      expect(news.value).toBeLessThan(1);
    },
  );

  it.skipIf(skip)(`records each simulated outcome once, and runs simulation and metrics as jobs on the job engine ${skip ? skipPostgres : ""}`, async () => {
    const worker = await startWorker(t.db, { threads: 1, home: t.home ?? tmpdir(), schedule: false });
    try {
      const before = await storedMetrics(t.db);
      await t.db.query(`DELETE FROM outcome_metrics`);
      const sim = await startSimulation(t.db);
      const metricsJob = await startOutcomeMetrics(t.db);
      expect((await startOutcomeMetrics(t.db)).id).toBe(metricsJob.id); // one in flight is enough
      for (const id of [sim.id, metricsJob.id]) {
        for (let i = 0; i < 600; i++) {
          const job = await getJob(t.db, id);
          if (job.status === "SUCCEEDED") break;
          expect(["QUEUED", "RUNNING"]).toContain(job.status);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect((await getJob(t.db, id)).status).toBe("SUCCEEDED");
      }
      // The job's simulated listeners sent the same events again: none was recorded twice.
      const result = (await getJob(t.db, sim.id)).result as { simulated: { sent: number; recorded: number } };
      expect(result.simulated.sent).toBeGreaterThan(0);
      expect(result.simulated.recorded).toBe(0);
      const after = await storedMetrics(t.db);
      expect(after.map((m) => [m.weekStart, m.blendVersion, m.source, m.metric, m.value])).toEqual(
        before.map((m) => [m.weekStart, m.blendVersion, m.source, m.metric, m.value]),
      );
    } finally {
      await worker.stop();
    }
  });
});
