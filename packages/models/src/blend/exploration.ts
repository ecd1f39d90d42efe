import { createHash } from "node:crypto";
import { seededRandom, type Random } from "../core/random.ts";
import { BLEND_CONSTRAINTS } from "./weights.ts";

/** A slot of a finished playlist: the catalogue row, and how the policy chose it. */
export interface ChosenSlot {
  /** Catalogue row (ModelState index). */
  row: number;
  /** True when exploration chose it. */
  explored: boolean;
  /**
   * Probability with which the policy put this track in this slot: 1 for the blend's own picks
   * (deterministic given the models), 1 / (candidates left) for an exploration draw.
   */
  propensity: number;
}

/** The default share of exploration (3 slots of a 30-track playlist): the explorationSlots constraint's default. */
export const DEFAULT_EXPLORATION_SLOTS = BLEND_CONSTRAINTS.explorationSlots.default;

/**
 * The random source of one listener's exploration for one week under one blend version: the
 * same inputs always draw the same slots (tests, re-runs after a crash), different weeks differ.
 */
export function explorationRandom(userId: number, weekStart: string, blendVersion: number): Random {
  const digest = createHash("sha256").update(`explore:${userId}:${weekStart}:${blendVersion}`).digest();
  return seededRandom(digest.readUInt32LE(0));
}

/**
 * Turns the blend's picks (best first) into the playlist with `slots` exploration slots: the
 * blend keeps its first `size - slots` picks; each exploration slot draws one track uniformly
 * from the candidates left in the wider pool (the blend's head, several times the playlist) that
 * the hard constraints accept, and logs 1 / (number of such candidates) as its propensity; the
 * drawn tracks go to uniformly drawn positions, so position does not tell them apart. When the
 * pool runs dry, the blend's next picks fill the rest. `accept(row, chosen)` applies the artist
 * cap and the known-artist share to the tracks chosen so far.
 */
export function withExploration(
  picked: number[],
  pool: number[],
  size: number,
  slots: number,
  random: Random,
  accept: (row: number, chosen: readonly number[]) => boolean,
): ChosenSlot[] {
  const keep = Math.min(picked.length, Math.max(0, size - slots));
  const exploit: number[] = [];
  for (const row of picked.slice(0, keep)) if (accept(row, exploit)) exploit.push(row);
  const used = new Set(exploit);
  const chosen = () => [...exploit, ...explored.map((e) => e.row)];
  const explored: ChosenSlot[] = [];
  for (let s = 0; s < slots && exploit.length + explored.length < size; s++) {
    const now = chosen();
    const candidates = pool.filter((row) => !used.has(row) && accept(row, now));
    if (candidates.length === 0) break;
    const row = candidates[Math.floor(random() * candidates.length)];
    used.add(row);
    explored.push({ row, explored: true, propensity: 1 / candidates.length });
  }
  for (const row of picked.slice(keep)) {
    if (exploit.length + explored.length >= size) break;
    if (!used.has(row) && accept(row, chosen())) {
      used.add(row);
      exploit.push(row);
    }
  }
  const out: ChosenSlot[] = exploit.map((row) => ({ row, explored: false, propensity: 1 }));
  for (const e of explored) out.splice(Math.floor(random() * (out.length + 1)), 0, e);
  return out;
}
