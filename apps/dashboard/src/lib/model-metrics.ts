import { metricValue, percent } from "./format.ts";

/** Reading model versions' metrics (a JSON object per version) the same way on every page. */

export interface VersionLike {
  id: number;
  kind: string;
  status: string;
  metrics?: unknown;
  /** When it last became active (ISO); absent or null when it never was. */
  activatedAt?: string | null;
}

/** Quality measures a curator compares versions by, in this order, when a version has them (higher is better for each). */
export const QUALITY_METRICS = ["recall@20", "ndcg@20", "coverage", "unseenTrackAuc", "precision@10", "map@20"] as const;

/** Models without a ranking measure: the sizes that say how much they know. */
const SIZE_METRICS: Record<string, string[]> = { TEXT: ["documents", "tracksWithText", "terms"] };

export const METRIC_LABEL: Record<string, string> = {
  "recall@20": "recall@20",
  "ndcg@20": "nDCG@20",
  "precision@10": "precision@10",
  "map@20": "MAP@20",
  coverage: "catalogue coverage",
  unseenTrackAuc: "AUC on unseen tracks",
  documents: "documents",
  tracksWithText: "tracks with text",
  terms: "terms",
};

/** A metric's value for people: shares (catalogue coverage) as percentages, the rest by formatMetric's rule. */
export function formatMetric(name: string, value: number): string {
  return SHARE_METRICS.has(name) ? percent(value) : metricValue(value);
}

const SHARE_METRICS = new Set(["coverage"]);

/** Numeric, finite metrics of a version, in the order the trainer stored them. */
export function numericMetrics(v: { metrics?: unknown }): [string, number][] {
  const m = v.metrics && typeof v.metrics === "object" ? (v.metrics as Record<string, unknown>) : {};
  return Object.entries(m).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1]));
}

export function metricOf(v: { metrics?: unknown }, name: string): number | null {
  return numericMetrics(v).find(([n]) => n === name)?.[1] ?? null;
}

/** Up to three quality metrics a version has; a model without any (text) gets its sizes, else its first three numbers. */
export function headlineMetrics(v: { kind?: string; metrics?: unknown }): string[] {
  const names = numericMetrics(v).map(([n]) => n);
  const quality = QUALITY_METRICS.filter((q) => names.includes(q));
  if (quality.length) return quality.slice(0, 3);
  const sizes = (SIZE_METRICS[v.kind ?? ""] ?? []).filter((n) => names.includes(n));
  return sizes.length ? sizes : names.filter((n) => n !== "seconds").slice(0, 3);
}

/**
 * The version `v` is compared with: the one of its kind that was active before it (the latest
 * activated before `v` was); for a version never activated, or when no activation times are
 * known, the previous READY version of its kind.
 */
export function previousVersion<V extends VersionLike>(versions: V[], v: V): V | null {
  const same = versions.filter((o) => o.kind === v.kind && o.id !== v.id && o.status === "READY");
  if (v.activatedAt) {
    const before = same.filter((o) => o.activatedAt && o.activatedAt < v.activatedAt!).sort((a, b) => (a.activatedAt! < b.activatedAt! ? 1 : -1))[0];
    if (before) return before;
  }
  return same.filter((o) => o.id < v.id).sort((a, b) => b.id - a.id)[0] ?? null;
}

/** A metric across the READY versions of one kind, oldest first: a series only when there are two or more. */
export function versionSeries<V extends VersionLike>(versions: V[], kind: string, name: string): { at: number; value: number }[] {
  return versions
    .filter((v) => v.kind === kind && v.status === "READY")
    .sort((a, b) => a.id - b.id)
    .flatMap((v) => {
      const value = metricOf(v, name);
      return value === null ? [] : [{ at: v.id, value }];
    });
}
