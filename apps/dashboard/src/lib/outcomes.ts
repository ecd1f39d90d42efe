import { BLEND_SOURCES } from "@deepcuts/models/blend/weights";
import { count, percent } from "./format.ts";
import type { OutcomesPageQuery } from "./generated/graphql.ts";

/** Reading the weekly online metrics (Query.outcomeMetrics) the same way on the Outcomes page and the overview. */

/** One stored metric as the API answers it (OutcomeMetric, generated from src/graphql/outcomes.graphql). */
export type OutcomeRow = OutcomesPageQuery["outcomeMetrics"][number];

/** The metrics in the order the page shows them, with what each one means. */
export const OUTCOME_METRICS: { name: string; label: string; about: string; count?: boolean }[] = [
  { name: "REACH", label: "reach", about: "listeners who streamed at least one track of their playlist" },
  { name: "STREAM_RATE", label: "stream rate", about: "share of slots streamed for 30 s or more, or played in full (mean over listeners)" },
  { name: "SAVE_RATE", label: "save rate", about: "share of slots saved or added to another playlist" },
  { name: "SKIP_RATE", label: "skip rate", about: "share of slots skipped" },
  { name: "HIDE_RATE", label: "hide rate", about: "share of slots marked “not for me”" },
  { name: "HIDES", label: "hides", about: "slots marked “not for me” (a count)", count: true },
  { name: "NEW_ARTIST_STREAM_SHARE", label: "streams by new artists", about: "share of streams by artists the listener had never streamed before" },
  { name: "CAME_BACK", label: "came back next week", about: "of the listeners reached, the share reached again by the next week's playlist" },
];

/** Where slots are credited: every slot, the source that contributed most, or exploration. */
export const OUTCOME_SOURCES = ["all", ...BLEND_SOURCES, "exploration"] as const;

/** A metric's value for people: shares as percentages, hides as a count. */
export function outcomeValue(metric: string, value: number): string {
  return metric === "HIDES" ? count(value) : percent(value);
}

/** "38%–44.5%": the 95% interval of a share, or null for a count (hides) or a value without one. */
export function interval(row: Pick<OutcomeRow, "metric" | "lower" | "upper">): string | null {
  if (row.metric === "HIDES" || row.lower === null || row.upper === null) return null;
  return `${percent(row.lower)}–${percent(row.upper)}`;
}

/** Weeks present in the rows, oldest first. */
export function weeksOf(rows: OutcomeRow[]): string[] {
  return [...new Set(rows.map((r) => r.weekStart))].sort();
}

/** Blend versions present in the rows, oldest first. */
export function versionsOf(rows: OutcomeRow[]): number[] {
  return [...new Set(rows.map((r) => r.blendVersion))].sort((a, b) => a - b);
}

/** One line per blend version of one metric and source, over weeks (oldest first). */
export function seriesByVersion(rows: OutcomeRow[], metric: string, source: string): { version: number; points: OutcomeRow[] }[] {
  const picked = rows.filter((r) => r.metric === metric && r.source === source);
  return versionsOf(picked).map((version) => ({
    version,
    points: picked.filter((r) => r.blendVersion === version).sort((a, b) => a.weekStart.localeCompare(b.weekStart)),
  }));
}

/** The row of one week, version, source and metric, or null. */
export function rowOf(rows: OutcomeRow[], week: string, version: number, source: string, metric: string): OutcomeRow | null {
  return rows.find((r) => r.weekStart === week && r.blendVersion === version && r.source === source && r.metric === metric) ?? null;
}
