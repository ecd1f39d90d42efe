import { createHash } from "node:crypto";
import { GrowthBook } from "@growthbook/growthbook";
import { seededRandom, type Random } from "@deepcuts/models/core";
import type { Arm } from "./statistics.ts";

/** What assignment needs of an experiment. */
export interface AssignmentKey {
  id: number;
  salt: string;
  /** Share of listeners in the candidate arm, 0..1 exclusive. */
  split: number;
}

/**
 * A listener's A/B arm: GrowthBook's deterministic bucketing (hash version 2, FNV-1a of the
 * experiment's salt and the listener id) against the split, so the same listener lands in the
 * same arm every week and on every replica, and two experiments with different salts split
 * listeners independently.
 */
export function assignArm(experiment: AssignmentKey, userId: number): Arm {
  const gb = new GrowthBook({ attributes: { id: String(userId) } });
  const result = gb.run({
    key: `experiment-${experiment.id}`,
    variations: ["CONTROL", "CANDIDATE"] as const,
    weights: [1 - experiment.split, experiment.split],
    hashAttribute: "id",
    hashVersion: 2,
    seed: experiment.salt,
  });
  gb.destroy();
  return result.inExperiment ? result.value : "CONTROL";
}

/** The coin flips of one listener's team draft in one week: the same inputs always draw the same playlist. */
export function draftRandom(experimentId: number, userId: number, weekStart: string): Random {
  const digest = createHash("sha256").update(`draft:${experimentId}:${userId}:${weekStart}`).digest();
  return seededRandom(digest.readUInt32LE(0));
}
