// npm run bench:experiments [-- --margin 0.02 --listeners 1500 --runs 100 --power 0.8 --json]
// How many listeners an A/B test and team-draft interleaving each need to detect a candidate
// blend that is truly better by --margin (absolute expected streams per served slot), on a demo
// world whose listeners' true taste is known. It loads the world into a throwaway embedded
// database, trains popularity and ALS, and takes the default blend as the candidate; the control
// mixes the candidate's weights with novelty-only weights, the mix found by bisection so that the
// true difference (the simulator's expected streams over each blend's playlists) equals the
// margin. Then, for each design, it searches the smallest number of listeners whose replicated
// experiments (--runs of them, outcomes drawn from the true probabilities, run through the
// product's assignment, team draft and tests: experiments/replicate.ts) detect the candidate at
// the 5% level with the wanted power, and prints both beside the plan's formula sizes.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { generateWorld, listenerSimulator } from "@deepcuts/demo";
import { seededRandom } from "@deepcuts/models/core";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { replicateExperiment, type KnownListener } from "@deepcuts/engine/experiments/replicate.ts";
import { abSampleSize, baselineOf, interleavingSampleSize } from "@deepcuts/engine/experiments/statistics.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { defaultBlendConstraints, defaultBlendWeights, pickForListener, type BlendWeights } from "@deepcuts/models/blend";
import { loadHistories } from "@deepcuts/engine/weekly/histories.ts";
import { loadModelState } from "@deepcuts/engine/weekly/load-model-state.ts";
import { createTestDatabase } from "../support/databases.ts";

const { values } = parseArgs({
  options: {
    margin: { type: "string", default: "0.02" },
    listeners: { type: "string", default: "1500" },
    runs: { type: "string", default: "100" },
    power: { type: "string", default: "0.8" },
    seed: { type: "string", default: "7" },
    json: { type: "boolean", default: false },
  },
});
const positive = (name: string, value: string, integer: boolean, max = Infinity) => {
  const n = Number(value);
  if (!(n > 0 && n <= max) || (integer && !Number.isInteger(n)))
    throw new RangeError(`--${name} must be a positive ${integer ? "integer" : "number"}${max < Infinity ? ` up to ${max}` : ""}, got '${value}'`);
  return n;
};
const margin = positive("margin", values.margin, false, 0.5);
const population = positive("listeners", values.listeners, true);
const runs = positive("runs", values.runs, true);
const wantedPower = positive("power", values.power, false, 0.99);
const seed = positive("seed", values.seed, true);
const ALPHA = 0.05;
const SIZE = defaultBlendConstraints.playlistSize;
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);
const started = Date.now();
const loadBefore = loadavg();

log(`world: ${population} listeners; training popularity and ALS in a throwaway database...`);
const world = generateWorld({ seed, listeners: population, artists: 60, tracks: 800, events: population * 50, now: new Date("2026-11-09T00:00:00Z") });
const t = await createTestDatabase("embedded");
try {
  await loadDemoWorld(t.db, world);
  await trainModels(t.db, ["popularity", "als"], { threads: 1, progress: () => ({ callback: () => {}, done: () => {} }) });
  const state = await loadModelState(t.db);
  const users = await t.db.query<{ id: number; external_key: string }>(`SELECT id, external_key FROM users ORDER BY id`);
  const trackKey = new Map((await t.db.query<{ id: number; external_key: string }>(`SELECT id, external_key FROM tracks`)).map((r) => [r.id, r.external_key]));
  const histories = await loadHistories(
    t.db,
    users.map((u) => u.id),
  );
  const simulator = listenerSimulator(world);
  const playlistOf = (userId: number, weights: BlendWeights) =>
    pickForListener(state, histories.get(userId)!, weights, defaultBlendConstraints).items.map((i) => i.trackId);
  /** The true expected streams per served slot of a blend: mean over listeners of open x stream over their playlist. */
  const trueRate = (weights: BlendWeights) => {
    let sum = 0;
    for (const u of users) {
      const items = playlistOf(u.id, weights);
      sum += items.reduce((a, id) => a + simulator.expectedStream(u.external_key, trackKey.get(id)!), 0) / Math.max(1, items.length);
    }
    return sum / users.length;
  };
  const candidate: BlendWeights = { ...defaultBlendWeights };
  const noveltyOnly: BlendWeights = { collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 0, novelty: 1 };
  const mix = (lambda: number): BlendWeights =>
    Object.fromEntries(
      Object.keys(candidate).map((k) => [k, lambda * candidate[k as keyof BlendWeights] + (1 - lambda) * noveltyOnly[k as keyof BlendWeights]]),
    ) as unknown as BlendWeights;
  const candidateRate = trueRate(candidate);
  if (candidateRate - trueRate(noveltyOnly) < margin)
    throw new RangeError(`--margin ${margin} is more than this world allows (${(candidateRate - trueRate(noveltyOnly)).toFixed(4)})`);
  // Bisection on the mix: lambda 0 is novelty only (worst), 1 the candidate itself (no difference).
  let lo = 0,
    hi = 1,
    lambda = 0.5,
    controlRate = 0;
  for (let i = 0; i < 12; i++) {
    lambda = (lo + hi) / 2;
    controlRate = trueRate(mix(lambda));
    log(`  mix ${lambda.toFixed(4)}: true difference ${(candidateRate - controlRate).toFixed(4)}`);
    if (Math.abs(candidateRate - controlRate - margin) < margin * 0.03) break;
    if (candidateRate - controlRate > margin) lo = lambda;
    else hi = lambda;
  }
  const control = mix(lambda);
  const known: KnownListener[] = users.map((u) => ({
    id: u.id,
    open: simulator.openProbability(u.external_key),
    control: playlistOf(u.id, control),
    candidate: playlistOf(u.id, candidate),
    stream: (track: number) => simulator.streamProbability(u.external_key, trackKey.get(track)!),
  }));

  // The plan's formula sizes, from one drawn week of the control (as a running service would measure it).
  const draw = seededRandom(seed);
  const baseline = baselineOf(
    known.map((l) => {
      const opened = draw() < l.open;
      let streamed = 0;
      for (const track of l.control.slice(0, SIZE)) if (opened && draw() < l.stream(track)) streamed++;
      return { served: Math.min(SIZE, l.control.length), streamed, saved: 0, skipped: 0, hidden: 0 };
    }),
  );
  const plan = { minimumEffect: margin, alpha: ALPHA, power: wantedPower };
  const planned = { AB: abSampleSize(plan, baseline, 0.5), INTERLEAVING: interleavingSampleSize(plan, baseline) };

  /** Share of `runs` replicated experiments on n listeners (drawn with replacement from the world) that find the candidate better. */
  const powerAt = (design: "AB" | "INTERLEAVING", n: number) => {
    let detected = 0;
    for (let run = 0; run < runs; run++) {
      const random = seededRandom(seed * 1_000_003 + run * 7919 + n);
      // Each draw is a listener of its own (its own id, so its own arm).
      const sample = Array.from({ length: n }, (_, k) => ({ ...known[Math.floor(random() * known.length)], id: k + 1 }));
      const result = replicateExperiment({ design, listeners: sample, size: SIZE, salt: `power-${run}`, alpha: ALPHA, sampleSize: n, random });
      if (result.verdict === "CANDIDATE_BETTER") detected++;
    }
    return detected / runs;
  };
  /** The smallest n (within 5%) whose power reaches the wanted power: doubling, then bisection. */
  const needed = (design: "AB" | "INTERLEAVING") => {
    let n = 16,
      power = powerAt(design, n);
    while (power < wantedPower) {
      if (n > 1_000_000) throw new Error(`${design}: not detected with a million listeners`);
      n *= 2;
      power = powerAt(design, n);
      log(`  ${design}: ${n} listeners, power ${power.toFixed(3)}`);
    }
    let low = n / 2,
      high = n;
    while (high - low > Math.max(2, high * 0.05)) {
      const mid = Math.round((low + high) / 2);
      const p = powerAt(design, mid);
      log(`  ${design}: ${mid} listeners, power ${p.toFixed(3)}`);
      if (p >= wantedPower) high = mid;
      else low = mid;
    }
    return high;
  };
  const ab = needed("AB");
  const interleaving = needed("INTERLEAVING");
  const result = {
    margin,
    trueRates: { control: controlRate, candidate: candidateRate, difference: candidateRate - controlRate },
    controlMix: lambda,
    listenersNeeded: { ab, interleaving, ratio: ab / interleaving },
    plannedByFormula: { ab: planned.AB, interleaving: planned.INTERLEAVING },
    alpha: ALPHA,
    power: wantedPower,
    runs,
    worldListeners: population,
    seconds: (Date.now() - started) / 1000,
    loadAverage: { before: loadBefore.map((x) => Number(x.toFixed(2))), after: loadavg().map((x) => Number(x.toFixed(2))) },
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    log(
      `true stream rate per served slot: control ${controlRate.toFixed(4)}, candidate ${candidateRate.toFixed(4)} (difference ${(candidateRate - controlRate).toFixed(4)}, set ${margin})`,
    );
    log(`listeners needed for ${wantedPower * 100}% power at alpha ${ALPHA} (${runs} replicated experiments per size):`);
    log(`  A/B test (50/50)         ${ab}   (plan formula ${planned.AB})`);
    log(`  team-draft interleaving  ${interleaving}   (plan formula ${planned.INTERLEAVING})`);
    log(`  interleaving needs ${(ab / interleaving).toFixed(1)} times fewer listeners`);
    log(`${result.seconds.toFixed(0)} s; load average ${result.loadAverage.before.join(" ")} before, ${result.loadAverage.after.join(" ")} after`);
  }
} finally {
  await t.drop();
}
