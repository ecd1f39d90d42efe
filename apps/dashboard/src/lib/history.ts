/** A model version's training history (JSON rows) as named curves a curator can read. */

export interface Curve {
  /** Stable id: the same curve of two versions can be drawn together. */
  id: string;
  label: string;
  /** "iteration" (ALS, LMF sweeps) or "epoch" (the audio network). */
  step: string;
  points: { at: number; value: number }[];
}

// What each history field means; fields not listed keep their own name, after the listed ones.
const KNOWN: [match: (phase: string | null, field: string) => boolean, id: string, label: string][] = [
  [(p, f) => p === "validation" && f === "recall@20", "validation recall@20", "validation recall@20"],
  [(p, f) => p === "validation" && f === "ndcg@20", "validation ndcg@20", "validation nDCG@20"],
  [(p, f) => p === "validation" && f === "loss", "loss", "training loss (ALS objective)"],
  [(p, f) => p === null && f === "trainLoss", "loss", "training loss (MSE)"],
  [(p, f) => p === null && f === "valLoss", "validation loss", "validation loss (MSE)"],
  [(p, f) => p === "holdout" && f === "seconds", "holdout seconds", "seconds per sweep (holdout fit)"],
  [(p, f) => p === "full" && f === "seconds", "full seconds", "seconds per sweep (full fit)"],
];

/** Where a curve goes among others: ranking measures, then losses, then timings, then the rest. */
export function curveRank(id: string): number {
  const k = KNOWN.findIndex(([, known]) => known === id);
  return k < 0 ? KNOWN.length : k;
}

/** Curves of one history, known ones first in a fixed order; `iteration`/`epoch` is the x axis. */
export function historyCurves(history: unknown): Curve[] {
  if (!Array.isArray(history)) return [];
  const curves = new Map<string, Curve>();
  history.forEach((row, i) => {
    if (!row || typeof row !== "object") return;
    const r = row as Record<string, unknown>;
    const step = typeof r.epoch === "number" ? "epoch" : "iteration";
    const at = typeof r.iteration === "number" ? r.iteration : typeof r.epoch === "number" ? r.epoch : i + 1;
    const phase = typeof r.phase === "string" ? r.phase : null;
    for (const [field, value] of Object.entries(r)) {
      if (field === "iteration" || field === "epoch" || typeof value !== "number" || !Number.isFinite(value)) continue;
      const known = KNOWN.find(([match]) => match(phase, field));
      const id = known ? known[1] : phase ? `${phase} ${field}` : field;
      if (!curves.has(id)) curves.set(id, { id, label: known ? known[2] : id, step, points: [] });
      curves.get(id)!.points.push({ at, value });
    }
  });
  return [...curves.values()].sort((a, b) => curveRank(a.id) - curveRank(b.id));
}
