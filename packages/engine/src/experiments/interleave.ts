import type { Random } from "@deepcuts/models/core";
import type { Arm } from "./statistics.ts";

/** One drafted slot: the row and the arm (team) that placed it. */
export interface DraftedSlot {
  row: number;
  arm: Arm;
}

/**
 * Team-draft interleaving (Radlinski, Kurup and Joachims, "How does clickthrough data reflect
 * retrieval quality?", CIKM 2008): the team with fewer picks so far picks next, a coin flip
 * breaking ties; a team picks its best-ranked track not in the list yet that the playlist's hard
 * constraints accept (`accept(row, chosen)`). A team with nothing left to add yields its turn.
 * Each slot is credited to the team that placed it.
 */
export function teamDraft(
  control: readonly number[],
  candidate: readonly number[],
  size: number,
  random: Random,
  accept: (row: number, chosen: readonly number[]) => boolean,
): DraftedSlot[] {
  const out: DraftedSlot[] = [];
  const used = new Set<number>();
  const rows: number[] = [];
  const lists: Record<Arm, readonly number[]> = { CONTROL: control, CANDIDATE: candidate };
  const cursor: Record<Arm, number> = { CONTROL: 0, CANDIDATE: 0 };
  const count: Record<Arm, number> = { CONTROL: 0, CANDIDATE: 0 };
  const exhausted = new Set<Arm>();
  const next = (arm: Arm): number | null => {
    const list = lists[arm];
    for (let i = cursor[arm]; i < list.length; i++) {
      const row = list[i];
      if (used.has(row) || !accept(row, rows)) continue;
      cursor[arm] = i + 1;
      return row;
    }
    cursor[arm] = list.length;
    return null;
  };
  while (out.length < size && exhausted.size < 2) {
    const first: Arm = count.CONTROL < count.CANDIDATE ? "CONTROL" : count.CANDIDATE < count.CONTROL ? "CANDIDATE" : random() < 0.5 ? "CONTROL" : "CANDIDATE";
    let arm: Arm = exhausted.has(first) ? (first === "CONTROL" ? "CANDIDATE" : "CONTROL") : first;
    let row = next(arm);
    if (row === null) {
      exhausted.add(arm);
      arm = arm === "CONTROL" ? "CANDIDATE" : "CONTROL";
      if (exhausted.has(arm)) break;
      row = next(arm);
      if (row === null) {
        exhausted.add(arm);
        break;
      }
    }
    used.add(row);
    rows.push(row);
    out.push({ row, arm });
    count[arm]++;
  }
  return out;
}
