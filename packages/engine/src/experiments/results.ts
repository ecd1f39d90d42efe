import type { Database } from "@deepcuts/db";
import { SQL_COUNTED_STREAM } from "../listener/outcomes.ts";
import { getExperiment, type ExperimentRecord } from "./experiments.ts";
import {
  abTest,
  armMetrics,
  interleavingTest,
  preferenceOf,
  type AbListener,
  type Arm,
  type ArmMetrics,
  type ArmTally,
  type InterleavedListener,
  type Preference,
  type TestResult,
  type Verdict,
} from "./statistics.ts";

export interface ArmResult {
  arm: Arm;
  blendVersion: number;
  metrics: ArmMetrics;
}

export interface ExperimentResults {
  experiment: ExperimentRecord;
  /** Listeners who received at least one playlist the experiment shaped, in all and per A/B arm (interleaving: every listener sees both). */
  traffic: { listeners: number; control: number; candidate: number; weeks: string[] };
  /** Listeners needed before the verdict is read (fixed when the experiment was created). */
  sampleSize: number;
  horizonReached: boolean;
  arms: ArmResult[];
  /** Interleaving only: how many listeners' candidate slots drew more streams than the control's. */
  preference: Preference | null;
  /** The test, read once the horizon is reached; null before (a fixed-horizon design gives no early verdict). */
  test: TestResult | null;
  verdict: Verdict;
}

interface SlotRow {
  user_id: number;
  listener_arm: Arm | null;
  slot_arm: Arm | null;
  streamed: boolean;
  saved: boolean;
  skipped: boolean;
  hidden: boolean;
}

const emptyTally = (): ArmTally => ({ served: 0, streamed: 0, saved: 0, skipped: 0, hidden: 0 });
function add(t: ArmTally, s: SlotRow): void {
  t.served++;
  if (s.streamed) t.streamed++;
  if (s.saved) t.saved++;
  if (s.skipped) t.skipped++;
  if (s.hidden) t.hidden++;
}

/**
 * The per-listener tallies of an experiment's served slots: every non-exploration slot of every
 * playlist in its log, with what came of it (a stream of 30 s or more or a full play, a save or
 * add, a skip, a "not for me"). Exploration slots are left out: both arms explore alike.
 */
export async function experimentTallies(
  db: Database,
  experimentId: number,
): Promise<{ ab: AbListener[]; interleaved: InterleavedListener[]; weeks: string[] }> {
  const rows = await db.query<SlotRow>(
    `SELECT x.user_id, x.arm::text AS listener_arm, i.arm::text AS slot_arm,
            coalesce(bool_or(${SQL_COUNTED_STREAM}), false) AS streamed,
            coalesce(bool_or(e.kind IN ('SAVE', 'PLAYLIST_ADD')), false) AS saved,
            coalesce(bool_or(e.kind = 'SKIP'), false) AS skipped,
            coalesce(bool_or(e.kind = 'DISLIKE'), false) AS hidden
     FROM experiment_exposures x
     JOIN playlist_items i ON i.playlist_id = x.playlist_id AND NOT i.explored
     JOIN tracks t ON t.id = i.track_id
     LEFT JOIN listening_events e ON e.playlist_id = i.playlist_id AND e.position = i.position
     WHERE x.experiment_id = $1
     GROUP BY x.user_id, x.arm, i.playlist_id, i.position, i.arm, t.id`,
    [experimentId],
  );
  const weeks = (
    await db.query<{ week: string }>(
      `SELECT DISTINCT to_char(week_start, 'YYYY-MM-DD') AS week FROM experiment_exposures WHERE experiment_id = $1 ORDER BY week`,
      [experimentId],
    )
  ).map((w) => w.week);
  const ab = new Map<number, AbListener>();
  const interleaved = new Map<number, InterleavedListener>();
  for (const r of rows) {
    if (r.listener_arm) {
      let l = ab.get(r.user_id);
      if (!l) ab.set(r.user_id, (l = { arm: r.listener_arm, ...emptyTally() }));
      add(l, r);
    } else if (r.slot_arm) {
      let l = interleaved.get(r.user_id);
      if (!l) interleaved.set(r.user_id, (l = { control: emptyTally(), candidate: emptyTally() }));
      add(r.slot_arm === "CANDIDATE" ? l.candidate : l.control, r);
    }
  }
  return { ab: [...ab.values()], interleaved: [...interleaved.values()], weeks };
}

/**
 * An experiment's results so far: traffic, per-arm metrics with 95% intervals and, once as many
 * listeners as planned took part, the verdict of its test at the plan's alpha (statistics.ts).
 */
export async function experimentResults(db: Database, id: number): Promise<ExperimentResults> {
  const experiment = await getExperiment(db, id);
  const { ab, interleaved, weeks } = await experimentTallies(db, id);
  return analyse(experiment, ab, interleaved, weeks);
}

/** The results of given tallies: what experimentResults computes after reading them. */
export function analyse(
  experiment: Pick<ExperimentRecord, "design" | "sampleSize" | "alpha" | "controlVersion" | "candidateVersion"> & Partial<ExperimentRecord>,
  ab: AbListener[],
  interleaved: InterleavedListener[],
  weeks: string[] = [],
): ExperimentResults {
  const isAb = experiment.design === "AB";
  const listeners = isAb ? ab.length : interleaved.length;
  const horizonReached = listeners >= experiment.sampleSize;
  const arm = (name: Arm): ArmResult => ({
    arm: name,
    blendVersion: name === "CANDIDATE" ? experiment.candidateVersion : experiment.controlVersion,
    metrics: armMetrics(isAb ? ab.filter((l) => l.arm === name) : interleaved.map((l) => (name === "CANDIDATE" ? l.candidate : l.control))),
  });
  const test = horizonReached ? (isAb ? abTest(ab, experiment.alpha) : interleavingTest(interleaved, experiment.alpha)) : null;
  return {
    experiment: experiment as ExperimentRecord,
    traffic: {
      listeners,
      control: isAb ? ab.filter((l) => l.arm === "CONTROL").length : listeners,
      candidate: isAb ? ab.filter((l) => l.arm === "CANDIDATE").length : listeners,
      weeks,
    },
    sampleSize: experiment.sampleSize,
    horizonReached,
    arms: [arm("CONTROL"), arm("CANDIDATE")],
    preference: isAb ? null : preferenceOf(interleaved),
    test,
    verdict: test?.verdict ?? "COLLECTING",
  };
}
