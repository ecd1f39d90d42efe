import type { Random } from "@deepcuts/models/core";
import { assignArm } from "./assign.ts";
import { teamDraft } from "./interleave.ts";
import { analyse, type ExperimentResults } from "./results.ts";
import type { AbListener, ArmTally, InterleavedListener } from "./statistics.ts";

/**
 * A listener whose true behaviour is known (a simulated world): the tracks each blend would
 * serve them, best first, and the probability that they stream each track once they open the
 * playlist. Replicating an experiment on such listeners in memory runs the product's own
 * assignment (GrowthBook hashing), team draft and statistics (results.ts `analyse`) on drawn
 * outcomes: the A/A tests and `npm run bench:experiments` do, without a database per run.
 */
export interface KnownListener {
  id: number;
  /** Probability of opening the week's playlist. */
  open: number;
  control: readonly number[];
  candidate: readonly number[];
  /** Stream probability of a track once the playlist is open. */
  stream: (track: number) => number;
}

export interface ReplicateOptions {
  design: "AB" | "INTERLEAVING";
  listeners: readonly KnownListener[];
  /** Playlist slots per listener. */
  size: number;
  /** Mixed into assignment, as an experiment's salt is. */
  salt: string;
  split?: number;
  alpha: number;
  /** Listeners needed before the verdict: the replicate is read at this horizon. */
  sampleSize: number;
  random: Random;
}

const tally = (): ArmTally => ({ served: 0, streamed: 0, saved: 0, skipped: 0, hidden: 0 });

/** One experiment on the given listeners with outcomes drawn from their true probabilities. */
export function replicateExperiment(o: ReplicateOptions): ExperimentResults {
  const ab: AbListener[] = [];
  const interleaved: InterleavedListener[] = [];
  for (const l of o.listeners) {
    const opened = o.random() < l.open;
    const draw = (track: number, t: ArmTally) => {
      t.served++;
      if (opened && o.random() < l.stream(track)) t.streamed++;
    };
    if (o.design === "AB") {
      const arm = assignArm({ id: 1, salt: o.salt, split: o.split ?? 0.5 }, l.id);
      const t: AbListener = { arm, ...tally() };
      for (const track of (arm === "CANDIDATE" ? l.candidate : l.control).slice(0, o.size)) draw(track, t);
      ab.push(t);
    } else {
      const t: InterleavedListener = { control: tally(), candidate: tally() };
      for (const slot of teamDraft(l.control, l.candidate, o.size, o.random, () => true)) draw(slot.row, slot.arm === "CANDIDATE" ? t.candidate : t.control);
      interleaved.push(t);
    }
  }
  return analyse({ design: o.design, sampleSize: o.sampleSize, alpha: o.alpha, controlVersion: 1, candidateVersion: 2 }, ab, interleaved);
}
